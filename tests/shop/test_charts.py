from __future__ import annotations

from datetime import date
from xml.etree import ElementTree

import pytest

from clipdeck.shop.charts import funnel_svg, orders_per_day_svg

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str):
    return ElementTree.fromstring(svg)  # noqa: S314 — our own output


def test_the_funnel_chart_is_an_accessible_svg_stating_every_figure():
    svg = funnel_svg(
        [("Impressions", 200), ("Product taps", 50), ("Orders", 5)], title="Mug <video>"
    )

    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "funnel-title funnel-desc"
    assert root.find(f"{SVG}title").text == "Mug <video>"
    assert root.find(f"{SVG}desc").text == "Impressions: 200; Product taps: 50; Orders: 5."
    bars = [rect.find(f"{SVG}title").text for rect in root.iter(f"{SVG}rect")]
    assert bars == ["Impressions: 200", "Product taps: 50 (25%)", "Orders: 5 (10%)"]


def test_the_orders_chart_has_one_bar_per_day_and_handles_no_orders():
    days = [(date(2025, 1, 1), 0), (date(2025, 1, 2), 3)]

    root = parse(orders_per_day_svg(days))

    assert [rect.get("height") for rect in root.iter(f"{SVG}rect")] == ["0", "110"]
    assert root.find(f"{SVG}desc").text == "2025-01-01: 0, 2025-01-02: 3."
    assert parse(orders_per_day_svg([])).get("role") == "img"
