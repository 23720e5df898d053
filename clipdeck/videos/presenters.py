"""Turning videos, comments and sounds into API dictionaries."""

from __future__ import annotations

from collections.abc import Iterable

from clipdeck.accounts.models import User
from clipdeck.accounts.presenters import user_brief
from clipdeck.videos.media import media_urls, sound_url
from clipdeck.videos.models import Comment, Sound, Video
from clipdeck.videos.selectors import author_follow_states, liked_ids


def sound_out(sound: Sound | None, viewer: User | None = None) -> dict | None:
    if sound is None:
        return None
    return {
        "id": sound.pk,
        "title": sound.title,
        "artist": sound.artist,
        "genre": sound.genre,
        "licence": sound.licence,
        "duration_ms": sound.duration_ms,
        "is_original": sound.is_original,
        "audio": sound_url(sound, viewer.pk if viewer else None),
        "created_by": sound.created_by.handle if sound.created_by else None,
    }


def _remix_out(video: Video, viewer: User | None) -> dict | None:
    if not video.remix_kind:
        return None
    source = video.remix_of
    return {
        "id": str(source.pk) if source else "",
        "kind": video.remix_kind,
        "author": user_brief(source.author) if source else None,
    }


def video_out(
    video: Video, viewer: User | None, *, liked: bool = False, author_follow: str = "none"
) -> dict:
    is_owner = viewer is not None and viewer.pk == video.author_id
    return {
        "id": str(video.pk),
        "author": user_brief(video.author),
        "caption": video.caption,
        "hashtags": [tag.name for tag in video.hashtags.all()],
        "mentions": [user.handle for user in video.mentions.all()],
        "status": video.status,
        "error": video.error_message or None,
        "error_code": video.error_code or None,
        "visibility": video.visibility,
        "allow_duet": video.allow_duet,
        "allow_react": video.allow_react,
        "allow_comments": video.allow_comments,
        "duration_ms": video.duration_ms,
        "width": video.width,
        "height": video.height,
        "media": media_urls(video, viewer.pk if viewer else None),
        "sound": sound_out(video.sound, viewer),
        "remix_of": _remix_out(video, viewer),
        "counts": {
            "likes": video.like_count,
            "comments": video.comment_count,
            "shares": video.share_count,
            "views": video.view_count,
        },
        "viewer": (
            {"liked": liked, "is_owner": is_owner, "author_follow": author_follow}
            if viewer
            else None
        ),
        "created_at": video.created_at,
        "published_at": video.published_at,
    }


def videos_out(videos: Iterable[Video], viewer: User | None) -> list[dict]:
    videos = list(videos)
    liked = liked_ids(viewer, videos)
    follows = author_follow_states(viewer, videos)
    return [
        video_out(
            video,
            viewer,
            liked=video.pk in liked,
            author_follow=follows.get(video.author_id, "none"),
        )
        for video in videos
    ]


def comment_out(comment: Comment) -> dict:
    return {
        "id": comment.pk,
        "author": user_brief(comment.author),
        "text": comment.text,
        "created_at": comment.created_at,
    }
