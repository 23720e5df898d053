"""What videos announce to the apps above them (the inbox, search), which videos may not import.

Receivers run inside the transaction of the change; the inbox writes its
notifications on commit.
"""

from __future__ import annotations

from django.dispatch import Signal

# ``user``, ``video``: ``user`` liked ``video`` for the first time (``like_create``).
video_liked = Signal()
# ``comment``: a new comment or reply (``comment_create``).
comment_made = Signal()
# ``comment``, ``user``: ``user`` liked ``comment`` (``comment_like_create``).
comment_liked = Signal()
# ``video``: a video went live (``video_mark_ready``, ``video_publish``).
video_published = Signal()
