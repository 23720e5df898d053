"""The SQLite database backend of ``clipdeck serve``: Django's, with connections reused."""
