import hashlib

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from images.renditions import SQUARE_WIDTHS, create_square_renditions, delete_image_files, without_metadata

from .validators import validate_photo_dimensions, validate_photo_format, validate_photo_size

# Background colours for initials avatars: all pass WCAG AA with white text.
AVATAR_COLOURS = ("#1d4ed8", "#047857", "#b91c1c", "#7c3aed", "#a21caf", "#0f766e", "#9a3412", "#374151")


def initials_for(name):
    """Up to two initials for an avatar: "Alison Johnson" -> "AJ"."""
    words = [word for word in name.split() if word[:1].isalnum()]
    if not words:
        return "?"
    if len(words) == 1:
        return words[0][0].upper()
    return (words[0][0] + words[-1][0]).upper()


def avatar_colour_for(name):
    """A stable colour per name, so a person keeps their colour across pages."""
    digest = hashlib.md5(name.strip().lower().encode(), usedforsecurity=False).digest()
    return AVATAR_COLOURS[digest[0] % len(AVATAR_COLOURS)]


class AuthorQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)

    def annotate_article_count(self):
        return self.annotate(article_count=models.Count("articles"))


class Author(models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    bio = models.TextField(_("about the author"), blank=True)
    photo = models.ImageField(
        _("photo"),
        upload_to="authors/",
        blank=True,
        validators=[
            FileExtensionValidator(["jpg", "jpeg", "png", "webp"]),
            validate_photo_size,
            validate_photo_format,
            validate_photo_dimensions,
        ],
        help_text=_("Optional. JPEG, PNG or WebP, at most 2 MB. Without one, readers see the author's initials."),
    )
    # The account that writes as this author, if any: guest authors have none.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="author",
        verbose_name=_("account"),
        help_text=_("Optional. The staff account that writes as this author and may edit this profile."),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    modified = models.DateTimeField(_("modified"), auto_now=True)

    objects = AuthorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        new_photo = bool(self.photo) and not self.photo._committed
        previous_photo = self._stored_photo_name()
        if new_photo:
            self.photo.save(self.photo.name, without_metadata(self.photo), save=False)
        super().save(*args, **kwargs)
        if new_photo:
            create_square_renditions(self.photo.name)
        if previous_photo and previous_photo != self.photo.name:
            # Only once the change is committed: a rolled-back save must still find its files.
            transaction.on_commit(lambda: delete_image_files(previous_photo, SQUARE_WIDTHS))

    def get_absolute_url(self):
        return reverse("authors:detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)

    def _stored_photo_name(self):
        if self.pk is None:
            return ""
        return Author.objects.filter(pk=self.pk).values_list("photo", flat=True).first() or ""

    @property
    def initials(self):
        return initials_for(self.name)

    @property
    def avatar_colour(self):
        return avatar_colour_for(self.name)
