# The data keys and the audit chain now belong to the kernel (same tables).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("privacy", "0003_transparency_count"),
        ("kernel", "0001_initial"),
        ("shop", "0002_seal_personal_fields"),  # reads privacy.UserKey from the old state
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="AuditEntry"),
                migrations.DeleteModel(name="UserKey"),
            ],
            database_operations=[],
        ),
    ]
