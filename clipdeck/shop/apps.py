from django.apps import AppConfig


class ShopConfig(AppConfig):
    name = "clipdeck.shop"
    label = "shop"
    verbose_name = "Shop"

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from clipdeck.shop import images
        from clipdeck.shop.models import ProductImage

        post_delete.connect(images.delete_copy, sender=ProductImage, dispatch_uid="shop-image-copy")
