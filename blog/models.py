import datetime

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from authors.models import Author

from . import caching
from .markup import render_markdown


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Articles readers may see: published, and not scheduled for later."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def next_scheduled_at(self):
        """When the next scheduled article appears to readers (None if none is scheduled)."""
        scheduled = self.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())
        return scheduled.aggregate(at=models.Min("published_at"))["at"]

    def update(self, **kwargs):
        """Bulk updates send no signals: tell the page cache which articles changed."""
        slugs = list(self.values_list("slug", flat=True))
        count = super().update(**kwargs)
        caching.articles_updated(slugs)
        return count

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


def today():
    return timezone.localdate()


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    author = models.ForeignKey(Author, models.PROTECT, related_name="articles", verbose_name=_("author"))
    summary = models.TextField(
        _("summary"),
        blank=True,
        max_length=300,
        help_text=_("Optional. One or two sentences for listings and search engines; else the first paragraph."),
    )
    body = models.TextField(
        _("body"), help_text=_("Markdown: blank line between paragraphs, “> ” quotes, “## ” headings.")
    )
    body_html = models.TextField(editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        _("publication date"),
        default=timezone.now,
        help_text=_("A future date schedules the article: it appears to readers on its own at that time."),
    )
    last_updated_on = models.DateField(_("Last Updated On"), default=today)
    allow_comments = models.BooleanField(_("allow comments"), default=True)
    close_comments_after_days = models.PositiveSmallIntegerField(
        _("close comments after (days)"),
        null=True,
        blank=True,
        help_text=_("Close comments this many days after publication. Empty: comments stay open."),
    )
    search_vector = models.GeneratedField(
        expression=SearchVector("title", weight="A", config="english")
        + SearchVector("body", weight="B", config="english"),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    modified = models.DateTimeField(_("modified"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        get_latest_by = "published_at"
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_published_idx"),
            GinIndex(fields=["search_vector"], name="article_search_idx"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = self.body.replace("\r\n", "\n")  # Browsers submit textareas with CRLF line ends.
        self.body_html = render_markdown(self.body)
        if kwargs.get("update_fields") is not None and "body" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "body_html"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("blog:article", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = ["authors.author"]

    def is_published(self):
        return self.status == self.Status.PUBLISHED and self.published_at <= timezone.now()

    is_published.boolean = True
    is_published.short_description = _("visible to readers")

    def comments_close_at(self):
        """When comments close on their own (None if they never do)."""
        if self.close_comments_after_days is None:
            return None
        return self.published_at + datetime.timedelta(days=self.close_comments_after_days)

    @property
    def excerpt(self):
        """The summary, else the first paragraph of the body, as plain text."""
        if self.summary:
            return self.summary
        first_paragraph = self.body_html.split("</p>", 1)[0]
        return Truncator(strip_tags(first_paragraph)).words(40)
