# The bio is sealed with the account's data key (kernel/sealed_fields.py); existing
# bios are encrypted in place with the keys already moved to the key store.

import clipdeck.kernel.sealed_fields
from django.db import migrations


def seal(apps, schema_editor):
    from clipdeck.kernel.sealed_fields import seal_column

    seal_column(apps.get_model("accounts", "User"), "bio")


def unseal(apps, schema_editor):
    from clipdeck.kernel.sealed_fields import unseal_column

    unseal_column(apps.get_model("accounts", "User"), "bio", schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_two_factor'),
        ('kernel', '0004_keys_to_keystore'),
    ]

    operations = [
        migrations.AlterField(
            model_name='user',
            name='bio',
            field=clipdeck.kernel.sealed_fields.SealedTextField(blank=True, default='', label='accounts.User.bio', owner=None),
        ),
        migrations.RunPython(seal, unseal),
    ]
