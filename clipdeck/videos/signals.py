"""Signals the videos app sends for work that layers above it do.

``edit_requested(video, edit)``: the owner asked to re-edit a draft with a new
``edit`` object; the studio validates it and renders the draft again from its
kept original. A receiver raises a DomainError to refuse.
"""

from __future__ import annotations

from django.dispatch import Signal

edit_requested = Signal()
