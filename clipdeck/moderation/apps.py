from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "clipdeck.moderation"
    label = "moderation"
    verbose_name = "Trust and safety"

    def ready(self) -> None:
        from clipdeck.moderation import (  # noqa: F401  (inventory; re-upload matching receiver)
            personal_data,
            receivers,
        )
