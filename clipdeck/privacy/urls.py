from django.urls import path

from clipdeck.privacy import views
from clipdeck.web.account_pages import privacy_page

urlpatterns = [
    # The data inventory as a readable page (also at /settings/privacy).
    path("privacy", privacy_page, name="privacy-inventory"),
    path("transparency", views.transparency_page, name="privacy-transparency"),
    path("settings/data", views.data_controls, name="privacy-data-controls"),
    path(
        "privacy/exports/<str:token>/download",
        views.export_download,
        name="privacy-export-download",
    ),
]
