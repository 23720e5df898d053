"""Periodic jobs of the privacy app: retention, and witnessing the audit chain's head."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from clipdeck.kernel import jobs
from clipdeck.kernel.audit import witness_publish
from clipdeck.privacy import retention


def retention_interval() -> float:
    """``CLIPDECK_RETENTION_INTERVAL_SECONDS``; 0 turns the job off."""
    return settings.CLIPDECK_RETENTION_INTERVAL_SECONDS


@jobs.periodic(name="privacy.retention", every=retention_interval)
@task(priority=jobs.PRIORITY)
def run_retention() -> dict[str, int]:
    """Delete everything past its retention; how many of each kind went."""
    return retention.run()


def audit_checkpoint_interval() -> float:
    """``CLIPDECK_AUDIT_CHECKPOINT_INTERVAL_SECONDS``; 0 turns the job off."""
    return settings.CLIPDECK_AUDIT_CHECKPOINT_INTERVAL_SECONDS


@jobs.periodic(name="privacy.audit_checkpoint", every=audit_checkpoint_interval)
@task(priority=jobs.PRIORITY)
def publish_audit_checkpoint() -> dict[str, int]:
    """Publish a signed head of the audit chain to the witness folder, if it moved."""
    checkpoint = witness_publish(force=False)
    return {"written": int(checkpoint is not None), "seq": checkpoint["seq"] if checkpoint else 0}
