from django.apps import AppConfig


class ShopConfig(AppConfig):
    name = "clipdeck.shop"
    label = "shop"
    verbose_name = "Shop"
