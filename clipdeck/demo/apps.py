from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "clipdeck.demo"
    label = "demo"
    verbose_name = "Demo content"
