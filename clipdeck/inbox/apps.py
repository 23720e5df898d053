from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "clipdeck.inbox"
    label = "inbox"
    verbose_name = "Activity inbox"

    def ready(self) -> None:
        from clipdeck.inbox import receivers  # noqa: F401  (turns signals into notifications)
