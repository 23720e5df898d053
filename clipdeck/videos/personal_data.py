from clipdeck.kernel.personal_data import DataClass, Retention, declare
from clipdeck.videos.models import Comment, Hashtag, Like, Share, Sound, Video

PUB, PROT, INT = DataClass.PUBLIC, DataClass.PROTECTED, DataClass.INTERNAL
VIDEO = "Until the video is deleted or the account erased."

declare(
    Hashtag,
    {
        "id": (INT, "Internal key.", Retention.OPERATIONAL),
        "name": (PUB, "Hashtag pages and search.", Retention.OPERATIONAL),
        "created_at": (INT, "Trending hashtags.", Retention.OPERATIONAL),
    },
)
declare(
    Sound,
    {
        "id": (INT, "Internal key.", Retention.OPERATIONAL),
        "title": (PUB, "The sound's name in the library.", VIDEO),
        "artist": (PUB, "Credit.", VIDEO),
        "genre": (PUB, "Browsing the library by genre.", VIDEO),
        "licence": (PUB, "Terms of reuse.", VIDEO),
        "duration_ms": (PUB, "Shown in the music picker.", VIDEO),
        "audio": (PUB, "The audio file played and mixed into videos.", VIDEO),
        "is_original": (PUB, "Whether the sound came from a video.", VIDEO),
        "source_video": (
            PUB,
            "The video an original sound came from (visible only with it).",
            VIDEO,
        ),
        "created_by": (PUB, "Credit for an original sound.", VIDEO),
        "created_at": (INT, "Ordering.", VIDEO),
    },
)
declare(
    Video,
    {
        "id": (INT, "Unguessable key used in links.", VIDEO),
        "author": (PUB, "Who made the video (protected while it is not public).", VIDEO),
        "caption": (PUB, "Shown with the video (protected while it is not public).", VIDEO),
        "hashtags": (PUB, "Hashtag pages.", VIDEO),
        "mentions": (PUB, "Links to mentioned accounts.", VIDEO),
        "status": (INT, "Processing state.", VIDEO),
        "keep_as_draft": (PROT, "The owner's choice to keep a draft.", VIDEO),
        "error_code": (INT, "Why processing failed, shown to the owner.", VIDEO),
        "error_message": (INT, "Why processing failed, shown to the owner.", VIDEO),
        "visibility": (PROT, "Who the owner lets see the video.", VIDEO),
        "allow_duet": (PUB, "Whether others may duet.", VIDEO),
        "allow_react": (PUB, "Whether others may react.", VIDEO),
        "allow_comments": (PUB, "Whether others may comment.", VIDEO),
        "edit": (PROT, "The owner's edit (trim, speed, filter, music), to re-render.", VIDEO),
        "sound": (PUB, "The sound used.", VIDEO),
        "remix_of": (PUB, "Credit for a duet or reaction.", VIDEO),
        "remix_kind": (PUB, "Duet or reaction.", VIDEO),
        "original": (
            PROT,
            "The uploaded file, kept until rendering succeeds or for export.",
            VIDEO,
        ),
        "mp4": (PUB, "The rendered video (signed URLs while it is not public).", VIDEO),
        "mp4_720": (PUB, "A smaller rendition for slow connections.", VIDEO),
        "poster": (PUB, "The still shown before playback.", VIDEO),
        "duration_ms": (PUB, "Player and feed.", VIDEO),
        "width": (PUB, "Player layout.", VIDEO),
        "height": (PUB, "Player layout.", VIDEO),
        "like_count": (PUB, "Shown counts.", VIDEO),
        "comment_count": (PUB, "Shown counts.", VIDEO),
        "share_count": (PUB, "Shown counts.", VIDEO),
        "view_count": (PUB, "Shown counts.", VIDEO),
        "created_at": (PROT, "When the owner made it (drafts stay private).", VIDEO),
        "published_at": (PUB, "When it went live.", VIDEO),
    },
)
declare(
    Like,
    {
        "id": (INT, "Internal key.", Retention.ACCOUNT),
        "user": (PROT, "Who liked: counts, and the owner's liked list.", Retention.ACCOUNT),
        "video": (PROT, "What was liked.", Retention.ACCOUNT),
        "created_at": (PROT, "Order of the liked list.", Retention.ACCOUNT),
    },
)
declare(
    Comment,
    {
        "id": (INT, "Internal key.", Retention.ACCOUNT),
        "video": (PUB, "Where the comment is shown.", Retention.ACCOUNT),
        "author": (PUB, "Who wrote it, shown beside it.", Retention.ACCOUNT),
        "text": (PUB, "The comment, shown to those who can see the video.", Retention.ACCOUNT),
        "created_at": (PUB, "Ordering and display.", Retention.ACCOUNT),
    },
)
declare(
    Share,
    {
        "id": (INT, "Internal key.", Retention.EVENTS),
        "video": (PROT, "What was shared, for counts.", Retention.EVENTS),
        "user": (PROT, "Who shared, for the sharer's own activity.", Retention.EVENTS),
        "created_at": (PROT, "When.", Retention.EVENTS),
    },
)
