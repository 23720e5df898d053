"""Seal payout accounts and shipping addresses with their owner's data key.

The columns become text; existing plaintext values are encrypted in place,
as ``privacy/migrations/0002_encrypt_existing_emails.py`` did for emails.
"""

import json

from django.db import migrations, models

from clipdeck.kernel import crypto

PAYOUT_FIELD = "shop.Merchant.payout_account"
ADDRESS_FIELD = "shop.Order.shipping_address"


def _key_of(UserKey, user_id):
    row = UserKey.objects.filter(user_id=user_id).first()
    if row is None:
        return None
    key_id = str(row.key_id)
    return key_id, crypto.unwrap_key(row.wrapped, key_id)


def seal_existing(apps, schema_editor):
    UserKey = apps.get_model("privacy", "UserKey")
    Merchant = apps.get_model("shop", "Merchant")
    Order = apps.get_model("shop", "Order")
    for merchant in Merchant.objects.exclude(payout_account="").iterator():
        key = _key_of(UserKey, merchant.user_id)
        if key and not crypto.is_sealed(merchant.payout_account):
            key_id, data_key = key
            merchant.payout_account = crypto.seal(
                data_key, merchant.payout_account, f"{key_id}:{PAYOUT_FIELD}"
            )
            merchant.save(update_fields=["payout_account"])
    for order in Order.objects.iterator():
        key = _key_of(UserKey, order.buyer_id)
        if key and not crypto.is_sealed(order.shipping_address):
            key_id, data_key = key
            address = json.dumps(json.loads(order.shipping_address), sort_keys=True)
            order.shipping_address = crypto.seal(data_key, address, f"{key_id}:{ADDRESS_FIELD}")
            order.save(update_fields=["shipping_address"])


class Migration(migrations.Migration):
    dependencies = [
        ("shop", "0001_initial"),
        ("privacy", "0002_encrypt_existing_emails"),
    ]

    operations = [
        migrations.AlterField(
            model_name="merchant",
            name="payout_account",
            field=models.CharField(blank=True, max_length=512),
        ),
        migrations.AlterField(
            model_name="order",
            name="shipping_address",
            field=models.TextField(),
        ),
        migrations.RunPython(seal_existing, migrations.RunPython.noop),
    ]
