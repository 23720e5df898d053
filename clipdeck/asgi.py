"""ASGI entry point: ``uvicorn clipdeck.asgi:application``."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clipdeck.settings")
django_application = get_asgi_application()

from clipdeck.runtime.request_limits import RequestBodyLimit  # noqa: E402  (needs settings)

application = RequestBodyLimit(django_application)
