"""Opening untrusted media safely, and the codecs the engine accepts.

Every input is opened through :func:`open_input`: only local files (no network or
playlist protocols) and only the demuxers of real video and audio containers, so
a hostile "video" that is really an HLS playlist or a concat script can never make
FFmpeg read other files or the network.
"""

from __future__ import annotations

import av

from .inputs import media_source

DEMUXERS = "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,avi,mpegts,flv,ogg,wav,mp3,aac,flac"
OPEN_OPTIONS = {"format_whitelist": DEMUXERS, "protocol_whitelist": "file"}

VIDEO_CODECS = frozenset({"h264", "hevc", "vp8", "vp9", "av1", "mpeg4"})
AUDIO_CODECS = frozenset({"aac", "opus", "mp3", "vorbis"})


def open_input(path: str):
    """Open ``path`` for reading with the safe options (a context manager)."""
    return av.open(media_source(path), options=OPEN_OPTIONS, metadata_errors="ignore")


def codec_name(stream) -> str:
    """The codec's canonical name (``av1``, not the decoder's ``libdav1d``)."""
    context = stream.codec_context
    if context is None:
        return "unknown"
    return context.codec.canonical_name or context.name or "unknown"


def audio_codec_accepted(name: str) -> bool:
    """True for AAC, Opus, MP3, Vorbis and any PCM variant."""
    return name in AUDIO_CODECS or name.startswith("pcm_")


def video_streams(container) -> list:
    """Real video streams (cover art and thumbnails excluded)."""
    attached = av.stream.Disposition.attached_pic
    return [s for s in container.streams.video if not s.disposition & attached]
