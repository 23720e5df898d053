"""Seed a data folder with demo accounts, music, rendered videos and engagement.

Runs through the same services as the API, so demo content obeys every rule.
"""

from __future__ import annotations

import io
import random
import sys
from typing import TextIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from clipdeck.accounts import services as accounts
from clipdeck.accounts.models import User
from clipdeck.demo.library import seed_library
from clipdeck.demo.moderation import seed_moderation
from clipdeck.demo.people import CAST, COMMENTS, Person
from clipdeck.demo.shop import seed_shop
from clipdeck.demo.videos import seed_videos
from clipdeck.videos import services as videos
from clipdeck.videos.models import Video, VideoStatus

DEMO_PASSWORD = "swipe-up-2026"  # noqa: S105 - documented demo credential
DEMO_EMAIL_DOMAIN = "demo.clipdeck.invalid"
VIEWER_ONLY = {"viewer.vic"}


def avatar_png(person: Person) -> bytes:
    """A simple avatar: a shaded square in the person's colour with their initials."""
    image = Image.new("RGB", (320, 320), person.colour)
    draw = ImageDraw.Draw(image)
    for step in range(0, 320, 4):
        shade = tuple(max(0, c - step // 6) for c in person.colour)
        draw.line([(0, step), (320, step)], fill=shade, width=4)
    initials = "".join(part[0] for part in person.name.split()[:2]).upper()
    draw.text((160, 160), initials, fill=(255, 255, 255), anchor="mm", font_size=120)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _create_person(person: Person) -> User:
    email = f"{person.handle}@{DEMO_EMAIL_DOMAIN}"
    user = accounts.user_create(
        handle=person.handle, email=email, password=DEMO_PASSWORD, display_name=person.name
    )
    accounts.user_update_profile(user=user, bio=person.bio, is_private=person.private)
    upload = SimpleUploadedFile("avatar.png", avatar_png(person), content_type="image/png")
    return accounts.user_set_avatar(user=user, upload=upload)


def _follow_graph(users: dict[str, User], rng: random.Random) -> None:
    handles = list(users)
    for handle in handles:
        for other in rng.sample(handles, k=min(6, len(handles))):
            if other != handle:
                accounts.follow_create(follower=users[handle], followee=users[other])
    private = [u for u in users.values() if u.is_private]
    for owner in private:  # three approved followers, one request left pending
        fans = [u for u in users.values() if u.pk != owner.pk][:4]
        for fan in fans:
            accounts.follow_create(follower=fan, followee=owner)
        for fan in fans[:3]:
            accounts.follow_request_decide(owner=owner, requester=fan, approve=True)


def _engagement(users: list[User], rng: random.Random) -> None:
    published = list(Video.objects.filter(status=VideoStatus.PUBLISHED, visibility="public"))
    for video in published:
        for fan in rng.sample(users, k=rng.randint(1, len(users))):
            videos.like_create(user=fan, video=video)
        for commenter in rng.sample(users, k=rng.randint(0, 4)):
            videos.comment_create(author=commenter, video=video, text=rng.choice(COMMENTS))
        Video.objects.filter(pk=video.pk).update(view_count=rng.randint(40, 5000))


class Progress:
    """A one-line progress bar on a terminal, plain lines elsewhere."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.tty = getattr(out, "isatty", lambda: False)()

    def __call__(self, done: int, total: int, label: str) -> None:
        width = 30
        filled = width * done // total
        line = f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {label}"
        if self.tty:
            self.out.write(f"\r\033[K{line}")
            if done == total:
                self.out.write("\n")
        else:
            self.out.write(line + "\n")
        self.out.flush()


def seed_demo(
    *, only_if_empty: bool = False, out: TextIO = sys.stdout, seed: int = 7, per_creator: int = 3
) -> bool:
    """Create the demo cast, music library and rendered videos.

    Returns False when skipped because the folder already has accounts.
    """
    if only_if_empty and User.objects.exists():
        out.write("Data folder already has accounts; demo content left as it is.\n")
        return False
    rng = random.Random(seed)
    out.write("Creating demo accounts…\n")
    users = {
        p.handle: _create_person(p)
        for p in CAST
        if not User.objects.filter(handle__iexact=p.handle).exists()
    }
    _follow_graph(users, rng)
    out.write("Composing the music library…\n")
    sounds = seed_library(progress=lambda label: out.write(f"  {label}\n"))
    out.write("Rendering demo videos (the first run takes a minute or two)…\n")
    creators = [
        (users[p.handle], p.colour)
        for p in CAST
        if p.handle in users and p.handle not in VIEWER_ONLY
    ]
    made = seed_videos(creators, sounds, per_creator=per_creator, rng=rng, progress=Progress(out))
    _engagement(list(users.values()), rng)
    out.write("Opening the demo shop…\n")
    seed_shop()
    out.write("Filing demo reports for the moderator…\n")
    moderation = seed_moderation(password=DEMO_PASSWORD, email_domain=DEMO_EMAIL_DOMAIN)
    failed = [
        v for v in Video.objects.filter(pk__in=[v.pk for v in made], status=VideoStatus.FAILED)
    ]
    out.write(
        f"Demo ready: {len(users)} accounts, {len(sounds)} sounds, "
        f"{len(made) - len(failed)} videos (password: {DEMO_PASSWORD!r}).\n"
    )
    for video in failed:
        out.write(f"  a demo video failed: {video.error_message}\n")
    _print_moderator(out, moderation)
    return True


def _print_moderator(out: TextIO, moderation: dict) -> None:
    """How to sign in as the demo moderator: password, then a code from the secret."""
    if not moderation["secret"]:
        return
    out.write(
        f"Moderator: @{moderation['handle']} (password: {DEMO_PASSWORD!r}), "
        f"{moderation['reports']} open reports at /moderation.\n"
        f"  two-factor secret (add it to an authenticator app): {moderation['secret']}\n"
        f"  {moderation['uri']}\n"
        f"  recovery codes: {' '.join(moderation['codes'])}\n"
    )
