# Users' data keys leave the database for the key store (kernel/keystore.py), a
# file that database backups never hold; the table is then dropped.

from django.db import migrations


def to_keystore(apps, schema_editor):
    from clipdeck.kernel import keystore

    UserKey = apps.get_model("kernel", "UserKey")
    for row in UserKey.objects.using(schema_editor.connection.alias).iterator():
        keystore.key_put(key_id=str(row.key_id), user_id=row.user_id, wrapped=bytes(row.wrapped))


def from_keystore(apps, schema_editor):
    from clipdeck.kernel import keystore

    UserKey = apps.get_model("kernel", "UserKey")
    User = apps.get_model("accounts", "User")
    users = set(User.objects.values_list("pk", flat=True))
    for key in keystore.all_keys():
        if key.user_id in users:
            UserKey.objects.create(user_id=key.user_id, key_id=key.key_id, wrapped=key.wrapped)


class Migration(migrations.Migration):
    dependencies = [
        ("kernel", "0003_audit_append_only"),
        ("privacy", "0004_keys_and_audit_to_kernel"),
        ("accounts", "0003_two_factor"),
    ]

    operations = [
        migrations.RunPython(to_keystore, from_keystore, elidable=False),
        migrations.DeleteModel(name="UserKey"),
    ]
