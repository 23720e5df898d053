import pytest

from clipdeck.videos.services import _sync_caption_links
from tests.factories import VideoFactory


@pytest.fixture
def posted(django_capture_on_commit_callbacks):
    """``posted(author, caption, **fields)``: a published video, indexed as on commit."""

    def post(author, caption, **fields):
        with django_capture_on_commit_callbacks(execute=True):
            video = VideoFactory(author=author, caption=caption, **fields)
            _sync_caption_links(video)
        return video

    return post
