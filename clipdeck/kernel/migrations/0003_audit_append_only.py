# The audit table refuses UPDATE and DELETE (and TRUNCATE on PostgreSQL):
# triggers chosen by the database's vendor (kernel/audit_guard.py).

from django.db import migrations


def install(apps, schema_editor):
    from clipdeck.kernel import audit_guard

    audit_guard.install(schema_editor.connection)


def remove(apps, schema_editor):
    from clipdeck.kernel import audit_guard

    audit_guard.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("kernel", "0002_audit_chain_version"),
    ]

    operations = [
        migrations.RunPython(install, remove),
    ]
