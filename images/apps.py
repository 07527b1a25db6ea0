from django.apps import AppConfig


class ImagesConfig(AppConfig):
    name = "images"
    verbose_name = "Image library"

    def ready(self):
        from django.db.models.signals import post_delete

        from .models import Image, image_deleted

        # A receiver, not Image.delete(): the admin's "delete selected" deletes a queryset.
        post_delete.connect(image_deleted, sender=Image, dispatch_uid="images-delete-files")
