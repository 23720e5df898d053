"""The plain-language explanation of the feed's main parameters (DSA art. 27).

The text lives in ``main_parameters.md`` beside this module so that the web
app can render it (for example with a Markdown filter) and docs can link it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

SOURCE = Path(__file__).with_name("main_parameters.md")


@cache
def main_parameters_markdown() -> str:
    """The explanation as Markdown, starting with a level-2 heading."""
    return SOURCE.read_text(encoding="utf-8")
