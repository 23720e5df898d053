from django.apps import AppConfig


class FeedConfig(AppConfig):
    name = "clipdeck.feed"
    label = "feed"
    verbose_name = "Feed"

    def ready(self) -> None:
        from clipdeck.feed import receivers  # noqa: F401 - connects the signal receivers
