# The caption is sealed with the author's data key (kernel/sealed_fields.py);
# existing captions are encrypted in place with the keys in the key store.

import clipdeck.kernel.sealed_fields
from django.db import migrations


def seal(apps, schema_editor):
    from clipdeck.kernel.sealed_fields import seal_column

    seal_column(apps.get_model("videos", "Video"), "caption")


def unseal(apps, schema_editor):
    from clipdeck.kernel.sealed_fields import unseal_column

    unseal_column(apps.get_model("videos", "Video"), "caption", schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ('videos', '0003_video_withheld_reason'),
        ('kernel', '0004_keys_to_keystore'),
    ]

    operations = [
        migrations.AlterField(
            model_name='video',
            name='caption',
            field=clipdeck.kernel.sealed_fields.SealedTextField(blank=True, default='', label='videos.Video.caption', owner='author_id'),
        ),
        migrations.RunPython(seal, unseal),
    ]
