from django.apps import AppConfig


class VideosConfig(AppConfig):
    name = "clipdeck.videos"
    label = "videos"
    verbose_name = "Videos"

    def ready(self) -> None:
        from clipdeck.accounts.selectors import register_profile_counter
        from clipdeck.videos import receivers  # noqa: F401  (connects rule R2's receivers)
        from clipdeck.videos.selectors import profile_video_counts

        register_profile_counter(profile_video_counts)
