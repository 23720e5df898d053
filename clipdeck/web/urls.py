from django.urls import path
from django.views.generic import RedirectView

from clipdeck.web import (
    account_pages,
    analytics_pages,
    discovery_pages,
    inbox_pages,
    pages,
    privacy_pages,
)

urlpatterns = [
    # The data inventory as a readable page (also at /settings/privacy).
    path("privacy", account_pages.privacy_page, name="privacy-inventory"),
    path("transparency", privacy_pages.transparency_page, name="privacy-transparency"),
    path("settings/data", privacy_pages.data_controls, name="privacy-data-controls"),
    path(
        "privacy/exports/<str:token>/download",
        privacy_pages.export_download,
        name="privacy-export-download",
    ),
    path("", pages.for_you, name="for-you"),
    path("following", pages.following, name="following"),
    path("v/<uuid:video_id>", pages.video_page, name="video-page"),
    path("@<str:handle>", pages.profile_page, name="profile-page"),
    path("sounds/<int:sound_id>", pages.sound_page, name="sound-page"),
    path("tag/<str:name>", discovery_pages.tag_page, name="tag-page"),
    path("search", discovery_pages.search_page, name="search"),
    path("discover", discovery_pages.discover_page, name="discover"),
    path("explore", RedirectView.as_view(url="/discover", permanent=False)),
    path("inbox", inbox_pages.inbox_page, name="inbox"),
    path("me/favorites", inbox_pages.favorites_page, name="favorites"),
    path("studio/analytics", analytics_pages.analytics_page, name="analytics"),
    path(
        "studio/analytics/v/<uuid:video_id>",
        analytics_pages.video_analytics_page,
        name="video-analytics",
    ),
    path("about/for-you", pages.about_for_you, name="about-for-you"),
    path("signup", account_pages.signup_page, name="signup"),
    path("login", account_pages.login_page, name="login"),
    path("logout", account_pages.logout_page, name="logout"),
    path("settings", account_pages.settings_page, name="settings"),
    path("settings/privacy", account_pages.privacy_page, name="privacy"),
    path("me/requests", account_pages.requests_page, name="follow-requests"),
    path("me/drafts", account_pages.drafts_page, name="drafts"),
    path("studio", account_pages.studio_page, name="studio"),
]
