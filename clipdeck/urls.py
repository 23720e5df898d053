from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

from clipdeck.api.main import api
from clipdeck.federation.views import shared_inbox
from clipdeck.runtime import health, metrics
from clipdeck.videos import views as media_views
from clipdeck.web.inbox_pages import inbox_page


@csrf_exempt
def inbox(request):
    """``/inbox`` is two things: other servers POST activities to the shared inbox
    (ActivityPub), people GET their activity inbox (the web app)."""
    return shared_inbox(request) if request.method == "POST" else inbox_page(request)


urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics_view, name="metrics"),
    path("media/v/<uuid:video_id>/<str:kind>", media_views.video_media, name="video-media"),
    path("media/s/<int:sound_id>", media_views.sound_audio, name="sound-audio"),
    path("media/<path:path>", media_views.public_media, name="public-media"),
    path("inbox", inbox, name="inbox"),
    path("", include("clipdeck.shop.urls")),
    path("", include("clipdeck.federation.urls")),
    path("", include("clipdeck.web.urls")),
]
