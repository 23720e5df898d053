from django.contrib import admin

from clipdeck.federation.models import Delivery, DomainPolicy, InboundFlag, RemoteActor


@admin.register(DomainPolicy)
class DomainPolicyAdmin(admin.ModelAdmin):
    list_display = ("domain", "action", "reason", "created_at")
    search_fields = ("domain",)


@admin.register(RemoteActor)
class RemoteActorAdmin(admin.ModelAdmin):
    list_display = ("username", "domain", "uri", "fetched_at")
    search_fields = ("domain", "username")
    readonly_fields = [f.name for f in RemoteActor._meta.fields]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("domain", "status", "attempts", "next_attempt_at", "last_error")
    list_filter = ("status",)
    exclude = ("activity", "signer")
    readonly_fields = ("inbox", "domain", "status", "attempts", "next_attempt_at", "last_error")


@admin.register(InboundFlag)
class InboundFlagAdmin(admin.ModelAdmin):
    list_display = ("reporter_domain", "account", "video", "received_at")
    readonly_fields = ("activity_uri", "reporter_domain", "account", "video", "content")
