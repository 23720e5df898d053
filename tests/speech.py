"""Tests that need spoken audio: espeak-ng is required in CI and optional elsewhere."""

from __future__ import annotations

import os

import pytest

from clipdeck.studio.engine.synth.spoken import espeak_available


def require_espeak() -> None:
    """Fail in CI, skip elsewhere, when espeak-ng cannot say the test's sentences."""
    if espeak_available():
        return
    if os.environ.get("CI") == "true":
        pytest.fail("espeak-ng is required in CI: apt-get install -y espeak-ng")
    pytest.skip("espeak-ng is not installed (apt-get install espeak-ng)")
