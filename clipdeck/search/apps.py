from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "clipdeck.search"
    label = "search"
    verbose_name = "Search and Discover"

    def ready(self) -> None:
        from clipdeck.kernel.derived import register_derived_sql_tables
        from clipdeck.search import receivers  # noqa: F401  (keeps the index in sync on commit)
        from clipdeck.search.services import rebuild

        # Derived data: backups leave the index's rows out, a restore rebuilds it.
        register_derived_sql_tables(["search_fts", "search_entry", "search_term"], rebuild=rebuild)
