from django.contrib import admin
from django.urls import include, path

from clipdeck.api.main import api
from clipdeck.runtime import health, metrics
from clipdeck.videos import views as media_views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics_view, name="metrics"),
    path("media/v/<uuid:video_id>/<str:kind>", media_views.video_media, name="video-media"),
    path("media/s/<int:sound_id>", media_views.sound_audio, name="sound-audio"),
    path("media/<path:path>", media_views.public_media, name="public-media"),
    path("", include("clipdeck.shop.urls")),
    path("", include("clipdeck.federation.urls")),
    path("", include("clipdeck.web.urls")),
]
