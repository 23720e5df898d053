"""factory_boy factories; users go through the accounts service like real sign-ups."""

from __future__ import annotations

import factory
from django.utils import timezone

from clipdeck.accounts import services as accounts
from clipdeck.accounts.models import Block, Follow, FollowState, User
from clipdeck.videos.models import Comment, Sound, Video, VideoStatus, Visibility

PASSWORD = "correct horse battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    handle = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.handle}@example.com")
    display_name = factory.LazyAttribute(lambda o: o.handle.title())
    is_private = False

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        password = kwargs.pop("password", PASSWORD)
        is_private = kwargs.pop("is_private", False)
        user = accounts.user_create(password=password, **kwargs)
        if is_private:
            accounts.user_update_profile(user=user, is_private=True)
        return user


class VideoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Video

    author = factory.SubFactory(UserFactory)
    caption = factory.Sequence(lambda n: f"video {n} #demo")
    status = VideoStatus.PUBLISHED
    visibility = Visibility.PUBLIC
    published_at = factory.LazyFunction(timezone.now)
    duration_ms = 15000
    width = 1080
    height = 1920


class FollowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Follow

    follower = factory.SubFactory(UserFactory)
    followee = factory.SubFactory(UserFactory)
    state = FollowState.FOLLOWING


class BlockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Block

    blocker = factory.SubFactory(UserFactory)
    blocked = factory.SubFactory(UserFactory)


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    video = factory.SubFactory(VideoFactory)
    author = factory.SubFactory(UserFactory)
    text = factory.Sequence(lambda n: f"comment {n}")


class SoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sound

    title = factory.Sequence(lambda n: f"Track {n}")
    artist = "Clipdeck Studio"
    genre = "lofi"
    licence = "CC0"
    duration_ms = 30000
