from __future__ import annotations

from pathlib import Path

import pytest

from tests.shop.factories import MerchantFactory


@pytest.fixture(scope="session")
def shopify_dir() -> Path:
    """The real Shopify exports (copied from the shared data set, README included)."""
    return Path(__file__).resolve().parent / "data" / "shopify"


@pytest.fixture
def merchant(db):
    return MerchantFactory(currency="USD")


@pytest.fixture
def yen_merchant(db):
    return MerchantFactory(currency="JPY")
