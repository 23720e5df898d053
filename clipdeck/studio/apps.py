from django.apps import AppConfig


class StudioConfig(AppConfig):
    name = "clipdeck.studio"
    label = "studio"
    verbose_name = "Studio"
