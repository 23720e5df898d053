from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "clipdeck.analytics"
    label = "analytics"
    verbose_name = "Creator analytics"
