from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "clipdeck.search"
    label = "search"
    verbose_name = "Search and Discover"

    def ready(self) -> None:
        from clipdeck.search import receivers  # noqa: F401  (keeps the index in sync on commit)
