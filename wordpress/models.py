from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportedObjectQuerySet(models.QuerySet):
    def from_site(self, source):
        return self.filter(source=source)


class ImportedObject(models.Model):
    """An object the WordPress importer made, under its WordPress id: re-runs update it instead of adding another.

    ``fingerprint`` is a digest of the object's values as the importer last wrote them. When the object's
    values no longer give that digest, an editor changed it since, and a re-run leaves it alone. When the
    object is gone, an editor deleted it, and a re-run does not bring it back.
    """

    class Kind(models.TextChoices):
        AUTHOR = "author", _("author")
        CATEGORY = "category", _("category")
        TAG = "tag", _("tag")
        POST = "post", _("post")
        PAGE = "page", _("page")
        ATTACHMENT = "attachment", _("attachment")
        COMMENT = "comment", _("comment")

    source = models.CharField(_("WordPress site"), max_length=200, help_text=_("The export's base site URL."))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    wp_id = models.BigIntegerField(_("WordPress id"))
    content_type = models.ForeignKey(ContentType, models.CASCADE, verbose_name=_("content type"))
    object_id = models.PositiveBigIntegerField(_("object id"))
    content_object = GenericForeignKey("content_type", "object_id")
    fingerprint = models.CharField(_("fingerprint"), max_length=64, blank=True)
    imported = models.DateTimeField(_("last imported"), auto_now=True)

    objects = ImportedObjectQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "kind", "wp_id"], name="wordpress_imported_once"),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="wordpress_imported_object_idx")]
        verbose_name = _("imported WordPress object")
        verbose_name_plural = _("imported WordPress objects")

    def __str__(self):
        return f"{self.kind} {self.wp_id} from {self.source}"
