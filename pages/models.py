from django.core.exceptions import ValidationError
from django.db import models
from django.urls import get_resolver, reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from blog.markup import render_markdown


def reserved_slugs():
    """First path segments the site's other URLs use ("admin", "articles", "sitemap.xml"…): a page there
    would be hidden by them, or hide them."""
    reserved = set()

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern).lstrip("^")
            if hasattr(pattern, "url_patterns") and not route.strip("/"):
                walk(pattern.url_patterns, route)
                continue
            first = route.split("/", 1)[0].split("<", 1)[0].rstrip("$")
            if first:
                reserved.add(first)

    walk(get_resolver().url_patterns, "")
    return reserved


def validate_free_slug(slug):
    if slug in reserved_slugs():
        raise ValidationError(
            _("“%(slug)s” is used by another part of the site; choose another slug."),
            code="reserved",
            params={"slug": slug},
        )


class PageQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Page.Status.PUBLISHED)

    def in_menu(self):
        return self.published().filter(menu_order__isnull=False).order_by("menu_order", "title")

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Page(models.Model):
    """A static page ("About us", "Privacy") at /<slug>/."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, validators=[validate_free_slug])
    body = models.TextField(
        _("body"), help_text=_("Markdown: blank line between paragraphs, “## ” headings, [link text](https://…).")
    )
    body_html = models.TextField(editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    menu_order = models.PositiveSmallIntegerField(
        _("footer position"),
        null=True,
        blank=True,
        help_text=_("Linked in every page's footer, in this order (smallest first). Empty: not linked there."),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    modified = models.DateTimeField(_("modified"), auto_now=True)

    objects = PageQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["body_html", "modified"], history_change_reason_field=models.TextField(null=True)
    )

    class Meta:
        ordering = ["menu_order", "title"]
        verbose_name = _("page")
        verbose_name_plural = _("pages")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.render_body()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("pages:detail", kwargs={"slug": self.slug})

    def public_path(self):
        return self.get_absolute_url() if self.status == self.Status.PUBLISHED else None

    def natural_key(self):
        return (self.slug,)

    def is_published(self):
        return self.status == self.Status.PUBLISHED

    is_published.boolean = True
    is_published.short_description = _("visible to readers")

    def render_body(self):
        self.body = self.body.replace("\r\n", "\n")
        self.body_html = render_markdown(self.body)
