from django.apps import AppConfig


class StudioConfig(AppConfig):
    name = "clipdeck.studio"
    label = "studio"
    verbose_name = "Studio"

    def ready(self) -> None:
        from clipdeck.studio import receivers  # noqa: F401  (connects them)
        from clipdeck.studio.reedit import on_edit_requested
        from clipdeck.videos.signals import edit_requested

        edit_requested.connect(on_edit_requested, dispatch_uid="studio.reedit")
