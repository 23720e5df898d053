"""Per-account RSA key pairs for HTTP signatures, and the instance actor's pair.

An account's private key is sealed with that account's data key, so erasing the
account (shredding its data key) makes every copy of it unreadable; the
instance actor's is sealed with a key derived from the cell key.
"""

from __future__ import annotations

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.db import IntegrityError, transaction

from clipdeck.federation.models import ActorKey
from clipdeck.kernel import crypto, keys

KEY_BITS = 2048
PRIVATE_FIELD = "federation.ActorKey.private_pem"


def _new_pair() -> tuple[str, str]:
    private = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    private_pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public_pem = (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return public_pem, private_pem


def _instance_key() -> bytes:
    return crypto.derive_key("clipdeck federation instance actor v1")


def key_for(user) -> ActorKey:
    """The key pair of ``user`` (None: the instance actor), made on first use."""
    existing = ActorKey.objects.filter(user=user).first()
    if existing is not None:
        return existing
    public_pem, private_pem = _new_pair()
    if user is None:
        sealed = crypto.seal(_instance_key(), private_pem, PRIVATE_FIELD)
    else:
        sealed = keys.seal_for(user, PRIVATE_FIELD, private_pem)
    try:
        with transaction.atomic():
            return ActorKey.objects.create(user=user, public_pem=public_pem, private_pem=sealed)
    except IntegrityError:  # made meanwhile by a concurrent request
        return ActorKey.objects.get(user=user)


def private_pem_of(key: ActorKey) -> str:
    """The private key in PEM form, unsealed."""
    if key.user_id is None:
        return crypto.unseal(_instance_key(), key.private_pem, PRIVATE_FIELD)
    return keys.unseal_for(key.user, PRIVATE_FIELD, key.private_pem)


def rotate(user) -> ActorKey:
    """Replace ``user``'s key pair; peers refetch the actor when a signature stops verifying."""
    ActorKey.objects.filter(user=user).delete()
    return key_for(user)
