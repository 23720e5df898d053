"""Back office for federation: domain rules (operators' own), remote actors, deliveries, flags.

Remote rows follow the same rule as the apps' rows: protected values (an
activity's body, who signed it, a remote report's text) are never shown, only
revealed through the access gateway.
"""

from django.contrib import admin

from clipdeck.federation.models import Delivery, DomainPolicy, InboundFlag, RemoteActor
from clipdeck.kernel.admin import ProtectedFieldsAdmin


@admin.register(DomainPolicy)
class DomainPolicyAdmin(admin.ModelAdmin):
    list_display = ("domain", "action", "reason", "created_at")
    search_fields = ("domain",)


@admin.register(RemoteActor)
class RemoteActorAdmin(ProtectedFieldsAdmin):
    list_display = ("username", "domain", "uri", "fetched_at")
    search_fields = ("domain", "username")
    readonly_fields = [f.name for f in RemoteActor._meta.fields]


@admin.register(Delivery)
class DeliveryAdmin(ProtectedFieldsAdmin):
    list_display = ("domain", "status", "attempts", "next_attempt_at", "last_error")
    list_filter = ("status",)
    hidden_fields = ("activity", "signer")
    readonly_fields = ("inbox", "domain", "status", "attempts", "next_attempt_at", "last_error")


@admin.register(InboundFlag)
class InboundFlagAdmin(ProtectedFieldsAdmin):
    list_display = ("reporter_domain", "account", "video", "received_at")
    readonly_fields = ("activity_uri", "reporter_domain", "account", "video")
    protected_fields = ("content",)
