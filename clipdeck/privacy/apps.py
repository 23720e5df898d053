from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "clipdeck.privacy"
    label = "privacy"
    verbose_name = "Privacy"
