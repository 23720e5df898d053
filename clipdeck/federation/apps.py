from django.apps import AppConfig


class FederationConfig(AppConfig):
    name = "clipdeck.federation"
    label = "federation"
    verbose_name = "Federation"

    def ready(self) -> None:
        from clipdeck.federation import jobs, personal_data, receivers  # noqa: F401
