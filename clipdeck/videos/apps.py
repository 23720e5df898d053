from django.apps import AppConfig


class VideosConfig(AppConfig):
    name = "clipdeck.videos"
    label = "videos"
    verbose_name = "Videos"
