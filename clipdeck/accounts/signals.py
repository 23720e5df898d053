"""What accounts announce to the apps above them, which accounts may not import.

Receivers run inside the transaction of the change, so a failing receiver
undoes the change with it.
"""

from __future__ import annotations

from django.dispatch import Signal

# ``user``: the account that just became private (sent by ``user_update_profile``).
account_made_private = Signal()
# ``blocker``, ``blocked``: a block was made (sent by ``block_create``).
block_made = Signal()
# ``owner``, ``requester``, ``approve``: a pending follow request was decided
# (sent by ``follow_request_decide``).
follow_request_decided = Signal()
# ``follower``, ``followee``, ``state``: a new follow or request (sent by ``follow_create``).
follow_made = Signal()
# ``owner``, ``requester``: a follow request was approved (sent by ``follow_request_decide``).
follow_approved = Signal()
