# The data keys and the audit chain moved from the privacy app to the kernel.
# Their tables keep their names, so only Django's model state moves.

import django.db.models.deletion
import django.utils.timezone
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("privacy", "0003_transparency_count"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AuditEntry",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("seq", models.PositiveBigIntegerField(unique=True)),
                        ("at", models.DateTimeField()),
                        ("actor_id", models.BigIntegerField(null=True)),
                        ("actor_role", models.CharField(max_length=32)),
                        ("action", models.CharField(max_length=32)),
                        ("subject", models.CharField(max_length=120)),
                        ("fields", models.JSONField(default=list)),
                        ("justification", models.CharField(max_length=500)),
                        ("prev_hash", models.CharField(max_length=64)),
                        ("entry_hash", models.CharField(max_length=64, unique=True)),
                    ],
                    options={
                        "verbose_name_plural": "audit entries",
                        "ordering": ["seq"],
                        "db_table": "privacy_auditentry",
                    },
                ),
                migrations.CreateModel(
                    name="UserKey",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("key_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ("wrapped", models.BinaryField()),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("user", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="data_key", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={"db_table": "privacy_userkey"},
                ),
            ],
            database_operations=[],
        ),
    ]
