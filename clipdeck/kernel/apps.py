from importlib import import_module

from django.apps import AppConfig, apps


class KernelConfig(AppConfig):
    """The ground floor: errors, pagination, hashing, rate limits, auth, crypto,
    keys, the erasure ledger, the audit chain and the personal-data registry."""

    name = "clipdeck.kernel"
    label = "kernel"
    verbose_name = "Kernel"

    def ready(self) -> None:
        # Every app declares its personal data in ``<app>/personal_data.py``;
        # the registry is complete once all apps are loaded.
        for config in apps.get_app_configs():
            if not config.name.startswith("clipdeck."):
                continue
            module = f"{config.name}.personal_data"
            try:
                import_module(module)
            except ModuleNotFoundError as exc:
                if exc.name != module:
                    raise
