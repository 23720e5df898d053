from importlib import import_module

from django.apps import AppConfig, apps

# Modules every app may have, imported once all apps are loaded: each fills a
# registry of the kernel (the personal-data inventory, the periodic jobs).
DISCOVERED_MODULES = ("personal_data", "jobs")


class KernelConfig(AppConfig):
    """The ground floor: errors, pagination, hashing, rate limits, auth, crypto,
    keys, the erasure ledger, the audit chain, the personal-data registry and the
    registry of periodic jobs."""

    name = "clipdeck.kernel"
    label = "kernel"
    verbose_name = "Kernel"

    def ready(self) -> None:
        for config in apps.get_app_configs():
            if config.name.startswith("clipdeck."):
                for module in DISCOVERED_MODULES:
                    _import_if_present(f"{config.name}.{module}")


def _import_if_present(module: str) -> None:
    """Import ``module``; an app without it is fine, an error inside it is not."""
    try:
        import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name != module:
            raise
