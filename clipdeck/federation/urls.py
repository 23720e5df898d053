from django.urls import path

from clipdeck.federation import views

urlpatterns = [
    path(".well-known/webfinger", views.webfinger, name="webfinger"),
    path(".well-known/nodeinfo", views.nodeinfo_links, name="nodeinfo-links"),
    path("nodeinfo/2.0", views.nodeinfo, name="nodeinfo"),
    path("actor", views.instance_actor, name="ap-instance-actor"),
    path("ap/users/<int:user_id>", views.actor, name="ap-actor"),
    path("ap/users/<int:user_id>/inbox", views.user_inbox, name="ap-inbox"),
    path("ap/users/<int:user_id>/outbox", views.outbox, name="ap-outbox"),
    path("ap/users/<int:user_id>/followers", views.followers, name="ap-followers"),
    path("ap/users/<int:user_id>/following", views.following, name="ap-following"),
    path("ap/videos/<uuid:video_id>", views.video_object, name="ap-video"),
]
