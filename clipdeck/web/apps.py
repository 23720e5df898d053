from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "clipdeck.web"
    label = "web"
    verbose_name = "Web pages"
