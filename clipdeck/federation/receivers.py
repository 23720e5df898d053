"""Local changes that other servers must hear about, turned into outgoing activities.

Each receiver only queues deliveries (rows written in the change's
transaction, tasks enqueued when it commits). Changes made by mirror accounts
of remote actors (an inbound like, comment or follow) are never echoed back.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from clipdeck.accounts.models import Block, Follow, FollowState
from clipdeck.accounts.signals import account_made_private, follow_request_decided
from clipdeck.federation import outbox
from clipdeck.federation.models import PublishedVideo, RemoteActor, RemoteVideo
from clipdeck.federation.policies import is_local_account, may_federate
from clipdeck.videos.models import Comment, Like, Video

UPDATE_FIELDS = {"caption", "allow_comments", "visibility"}


def _remote(user) -> RemoteActor | None:
    return RemoteActor.objects.filter(user_id=user.pk).first() if user else None


@receiver(post_save, sender=Video, dispatch_uid="federation.video_saved")
def video_saved(sender, *, instance: Video, update_fields=None, **kwargs) -> None:
    if kwargs.get("raw"):  # rows loaded by a restore or a fixture: nothing happened
        return
    if not is_local_account(instance.author):
        return
    published = PublishedVideo.objects.filter(video_id=instance.pk).first()
    if may_federate(instance):
        if published is None:
            PublishedVideo.objects.create(video_id=instance.pk, author=instance.author)
            outbox.video_create(instance)
        elif update_fields is None or UPDATE_FIELDS & set(update_fields):
            outbox.video_update(instance)
    elif published is not None:  # it stopped being public (rule F1): take it back
        published.delete()
        outbox.video_delete(instance.pk, instance.author)


@receiver(post_delete, sender=Video, dispatch_uid="federation.video_deleted")
def video_deleted(sender, *, instance: Video, **kwargs) -> None:
    deleted, _ = PublishedVideo.objects.filter(video_id=instance.pk).delete()
    if deleted:
        outbox.video_delete(instance.pk, instance.author)


@receiver(account_made_private, dispatch_uid="federation.account_made_private")
def account_private(sender, *, user, **kwargs) -> None:
    for published in PublishedVideo.objects.filter(author=user):
        outbox.video_delete(published.video_id, user)
    PublishedVideo.objects.filter(author=user).delete()


@receiver(post_save, sender=Follow, dispatch_uid="federation.follow_saved")
def follow_saved(sender, *, instance: Follow, created: bool, **kwargs) -> None:
    if kwargs.get("raw"):  # rows loaded by a restore or a fixture: nothing happened
        return
    if not created or not is_local_account(instance.follower):
        return
    remote = _remote(instance.followee)
    if remote is None:
        return
    if instance.state == FollowState.FOLLOWING:  # the remote server decides: wait for Accept
        Follow.objects.filter(pk=instance.pk).update(state=FollowState.REQUESTED)
        instance.state = FollowState.REQUESTED
    outbox.follow(instance.follower, remote)


@receiver(post_delete, sender=Follow, dispatch_uid="federation.follow_deleted")
def follow_deleted(sender, *, instance: Follow, **kwargs) -> None:
    if is_local_account(instance.follower):
        remote = _remote(instance.followee)
        if remote is not None:
            outbox.unfollow(instance.follower, remote)
    elif instance.state == FollowState.REQUESTED and is_local_account(instance.followee):
        remote = _remote(instance.follower)
        if remote is not None:
            outbox.reject(instance.followee, remote)


@receiver(follow_request_decided, dispatch_uid="federation.follow_request_decided")
def follow_request_answered(sender, *, owner, requester, approve: bool, **kwargs) -> None:
    remote = _remote(requester)
    if remote is not None and approve:
        outbox.accept(owner, remote)
    # A denial deletes the request; ``follow_deleted`` sends the Reject.


@receiver(post_save, sender=Block, dispatch_uid="federation.block_saved")
def block_saved(sender, *, instance: Block, created: bool, **kwargs) -> None:
    if kwargs.get("raw"):  # rows loaded by a restore or a fixture: nothing happened
        return
    if created and is_local_account(instance.blocker):
        remote = _remote(instance.blocked)
        if remote is not None:
            outbox.block(instance.blocker, remote)


@receiver(post_delete, sender=Block, dispatch_uid="federation.block_deleted")
def block_deleted(sender, *, instance: Block, **kwargs) -> None:
    if is_local_account(instance.blocker):
        remote = _remote(instance.blocked)
        if remote is not None:
            outbox.unblock(instance.blocker, remote)


def _remote_video(video_id) -> RemoteVideo | None:
    return RemoteVideo.objects.select_related("actor").filter(video_id=video_id).first()


@receiver(post_save, sender=Like, dispatch_uid="federation.like_saved")
def like_saved(sender, *, instance: Like, created: bool, **kwargs) -> None:
    if kwargs.get("raw"):  # rows loaded by a restore or a fixture: nothing happened
        return
    if created and is_local_account(instance.user):
        remote_video = _remote_video(instance.video_id)
        if remote_video is not None:
            outbox.like(instance.user, remote_video.actor, remote_video.uri, instance.pk)


@receiver(post_delete, sender=Like, dispatch_uid="federation.like_deleted")
def like_deleted(sender, *, instance: Like, **kwargs) -> None:
    if is_local_account(instance.user):
        remote_video = _remote_video(instance.video_id)
        if remote_video is not None:
            outbox.unlike(instance.user, remote_video.actor, remote_video.uri, instance.pk)


@receiver(post_save, sender=Comment, dispatch_uid="federation.comment_saved")
def comment_saved(sender, *, instance: Comment, created: bool, **kwargs) -> None:
    if kwargs.get("raw"):  # rows loaded by a restore or a fixture: nothing happened
        return
    if created and is_local_account(instance.author):
        remote_video = _remote_video(instance.video_id)
        if remote_video is not None:
            outbox.comment(instance, remote_video.actor, remote_video.uri)


@receiver(post_delete, sender=Comment, dispatch_uid="federation.comment_deleted")
def comment_deleted(sender, *, instance: Comment, **kwargs) -> None:
    if is_local_account(instance.author):
        remote_video = _remote_video(instance.video_id)
        if remote_video is not None:
            outbox.uncomment(instance.pk, instance.author, remote_video.actor)
