from django.urls import path

from clipdeck.web import account_pages, app_shell, pages, privacy_pages, recovery_pages

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
    path("tag/<str:name>", pages.tag_page, name="tag-page"),
    path("about/for-you", pages.about_for_you, name="about-for-you"),
    path("signup", account_pages.signup_page, name="signup"),
    path("login", account_pages.login_page, name="login"),
    path("logout", account_pages.logout_page, name="logout"),
    path("settings", account_pages.settings_page, name="settings"),
    path("settings/privacy", account_pages.privacy_page, name="privacy"),
    path("me/requests", account_pages.requests_page, name="follow-requests"),
    path("me/drafts", account_pages.drafts_page, name="drafts"),
    path("studio", account_pages.studio_page, name="studio"),
    path("manifest.webmanifest", app_shell.manifest, name="web-manifest"),
    path("sw.js", app_shell.service_worker, name="service-worker"),
    path("password/reset", recovery_pages.reset_request_page, name="password-reset"),
    path(
        "password/reset/<str:uid>/<str:token>",
        recovery_pages.reset_confirm_page,
        name="password-reset-confirm",
    ),
    path("email/verify/send", recovery_pages.verify_email_send, name="email-verify-send"),
    path("email/verify/<str:value>", recovery_pages.verify_email_page, name="email-verify"),
]
