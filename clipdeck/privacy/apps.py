from importlib import import_module

from django.apps import AppConfig, apps


class PrivacyConfig(AppConfig):
    name = "clipdeck.privacy"
    label = "privacy"
    verbose_name = "Privacy"

    def ready(self) -> None:
        for config in apps.get_app_configs():
            if config.name.startswith("clipdeck."):
                try:
                    import_module(f"{config.name}.inventory")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.inventory":
                        raise
        import_module("clipdeck.privacy.declarations")
