"""What videos announce to the apps above them (moderation, the inbox, search, the
studio), which videos may not import.

Receivers run inside the transaction of the change, so a failing receiver
undoes the change with it; the inbox writes its notifications on commit.

``edit_requested(video, edit)``: the owner asked to re-edit a draft with a new
``edit`` object; the studio validates it and renders the draft again from its
kept original. A receiver raises a DomainError to refuse.
"""

from __future__ import annotations

from django.dispatch import Signal

# ``video``: its media are stored and it is about to become a draft or go live
# (sent by ``services.video_mark_ready``). A receiver may set its moderation state.
video_rendered = Signal()
# ``video``, ``edit``: see above (``services.video_reedit``).
edit_requested = Signal()
# ``user``, ``video``: ``user`` liked ``video`` for the first time (``like_create``).
video_liked = Signal()
# ``comment``: a new comment or reply (``comment_create``).
comment_made = Signal()
# ``comment``, ``user``: ``user`` liked ``comment`` (``comment_like_create``).
comment_liked = Signal()
# ``video``: a video went live (``video_mark_ready``, ``video_publish``).
video_published = Signal()
