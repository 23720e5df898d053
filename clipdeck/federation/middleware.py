"""``/@handle`` answers an ActivityPub client with the actor, and a moved account redirects."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseRedirect

from clipdeck.accounts.models import User

AP_TYPES = ("application/activity+json", "application/ld+json")


def wants_activity_json(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "")
    return any(kind in accept for kind in AP_TYPES)


class ActorNegotiationMiddleware:
    """Serve the actor document at ``/@handle`` to ActivityPub clients; redirect moved profiles."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        path = request.path
        if request.method == "GET" and path.startswith("/@") and "/" not in path[2:]:
            response = self._profile(request, path[2:])
            if response is not None:
                return response
        return self.get_response(request)

    def _profile(self, request: HttpRequest, handle: str):
        from clipdeck.federation import policies, views
        from clipdeck.federation.models import AccountMove

        user = User.objects.filter(handle__iexact=handle, is_active=True).first()
        if user is None or not policies.is_local_account(user):
            return None
        if wants_activity_json(request):
            return views.actor_document(request, user)
        move = AccountMove.objects.filter(user=user).exclude(moved_to_profile="").first()
        if move is not None:
            return HttpResponseRedirect(move.moved_to_profile)
        return None
