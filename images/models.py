from django.core.files.images import get_image_dimensions
from django.core.validators import FileExtensionValidator
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from .renditions import (
    WIDTHS,
    create_renditions,
    delete_image_files,
    rendition_url,
    rendition_widths,
    srcset,
    without_metadata,
)
from .validators import validate_image_dimensions, validate_image_format, validate_image_size


class Image(models.Model):
    """An image in the library: EXIF stripped on upload, renditions for `srcset`, used by articles.

    A GIF is kept as it was uploaded (GIF carries no EXIF) and shown as that file, so an animation stays animated;
    its renditions (the first frame) serve og:image and JSON-LD.
    """

    file = models.ImageField(
        _("file"),
        upload_to="images/%Y/%m/",
        width_field="width",
        height_field="height",
        validators=[
            FileExtensionValidator(["jpg", "jpeg", "png", "webp", "gif"]),
            validate_image_size,
            validate_image_format,
            validate_image_dimensions,
        ],
        help_text=_(
            "JPEG, PNG, WebP or GIF (an animation stays animated), at most 2 MB. Location and camera data are "
            "removed on upload."
        ),
    )
    alt_text = models.CharField(
        _("alt text"),
        max_length=250,
        help_text=_("Required. What the image shows, for readers who cannot see it (read aloud by screen readers)."),
    )
    caption = models.CharField(
        _("caption"), max_length=300, blank=True, help_text=_("Optional. Shown under the image.")
    )
    credit = models.CharField(
        _("credit"), max_length=200, blank=True, help_text=_("Optional. Who took or owns it, e.g. “Photo: Jane Doe”.")
    )
    width = models.PositiveIntegerField(_("width"), editable=False, default=0)
    height = models.PositiveIntegerField(_("height"), editable=False, default=0)
    created = models.DateTimeField(_("uploaded"), auto_now_add=True)
    modified = models.DateTimeField(_("modified"), auto_now=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("image")
        verbose_name_plural = _("images")

    def __str__(self):
        return self.alt_text

    def save(self, *args, **kwargs):
        new_file = bool(self.file) and not self.file._committed
        previous = self._stored_file()
        if new_file and not self.is_gif():
            upright = without_metadata(self.file)
            self.file.save(self.file.name, upright, save=False)
            self.width, self.height = get_image_dimensions(upright)
        super().save(*args, **kwargs)
        if new_file:
            create_renditions(self.file.name)
        if previous and previous[0] != self.file.name:
            # Only once the change is committed: a rolled-back save must still find its files.
            previous_name, previous_width = previous
            transaction.on_commit(lambda: delete_image_files(previous_name, rendition_widths(previous_width)))

    def _stored_file(self):
        if self.pk is None:
            return None
        return Image.objects.filter(pk=self.pk).values_list("file", "width").first()

    def is_gif(self):
        """Shown as its own file (an animation would be lost in the renditions)."""
        return self.file.name.lower().endswith(".gif")

    def reference(self):
        """What an editor puts on its own line in a Markdown body to show this image there."""
        return f"[image:{self.pk}]"

    def srcset(self, extension):
        return srcset(self.file.name, rendition_widths(self.width), extension)

    def webp_srcset(self):
        return self.srcset("webp")

    def jpeg_srcset(self):
        return self.srcset("jpg")

    def url_for_width(self, width, extension="jpg"):
        return rendition_url(self.file.name, rendition_widths(self.width), width, extension)

    def fallback_url(self):
        """The middle JPEG, for browsers without srcset."""
        return self.url_for_width(960)

    def largest_url(self):
        """The largest JPEG, for og:image and JSON-LD."""
        return self.url_for_width(max(self.width, 1))

    def largest_size(self):
        """(width, height) of the largest rendition."""
        width = min(self.width, max(WIDTHS))
        return width, round(self.height * width / self.width) if self.width else 0


def image_deleted(sender, instance, **kwargs):
    """Delete the files once the deletion is committed: a rolled-back one must still find them."""
    name, widths = instance.file.name, rendition_widths(instance.width)
    transaction.on_commit(lambda: delete_image_files(name, widths))
