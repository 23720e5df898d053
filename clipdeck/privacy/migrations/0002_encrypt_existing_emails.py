"""Give every existing account a data key and encrypt its email address with it."""

import uuid

from django.db import migrations

from clipdeck.kernel import crypto

EMAIL_FIELD = "accounts.User.email"


def encrypt_emails(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    UserKey = apps.get_model("privacy", "UserKey")
    for user in User.objects.filter(data_key__isnull=True).iterator():
        key_id = str(uuid.uuid4())
        data_key = crypto.new_key()
        UserKey.objects.create(user=user, key_id=key_id, wrapped=crypto.wrap_key(data_key, key_id))
        if not crypto.is_sealed(user.email):
            user.email = crypto.seal(data_key, user.email, f"{key_id}:{EMAIL_FIELD}")
            user.save(update_fields=["email"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_alter_user_email"),
        ("privacy", "0001_initial"),
    ]

    operations = [migrations.RunPython(encrypt_emails, migrations.RunPython.noop)]
