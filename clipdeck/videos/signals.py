"""What videos announce to the apps above them, which videos may not import.

Receivers run inside the transaction of the change, so a failing receiver
undoes the change with it.
"""

from __future__ import annotations

from django.dispatch import Signal

# ``video``: its media are stored and it is about to become a draft or go live
# (sent by ``services.video_mark_ready``). A receiver may set its moderation state.
video_rendered = Signal()
