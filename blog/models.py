import datetime

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import JSONObject
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from authors.models import Author
from config.cachetags import object_tag
from images.embedding import embed_images, validate_image_references
from images.models import Image

from .dates import admin_date
from .markup import render_markdown


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Articles readers may see: published, and not scheduled for later."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def published_or_written_by(self, user):
        """What a writer may read on the site: every published article, and their own however unpublished."""
        return self.filter(
            models.Q(status=Article.Status.PUBLISHED, published_at__lte=timezone.now()) | models.Q(author__user=user)
        )

    def awaiting_review(self):
        """Articles a contributor submitted for review, waiting for an editor."""
        return self.filter(status=Article.Status.PENDING)

    def written_by(self, user):
        """The articles of the author profile linked to `user` (none for an account without one)."""
        return self.filter(author__user=user) if user.pk else self.none()

    def with_page_details(self):
        """Each article's categories, tags and update history in the article's own row, as lists of JSON
        objects (ArraySubquery): the article page costs one query for them instead of four (prefetching).
        Article.shown_categories, shown_tags and update_history read them."""

        def rows(queryset, *fields):
            return ArraySubquery(queryset.values(json=JSONObject(**{field: field for field in fields})))

        article = models.OuterRef("pk")
        # Related: the newest published articles sharing a tag or a category with this one.
        sharing = Article.objects.filter(
            models.Q(tags__articles=models.OuterRef(article)) | models.Q(categories__articles=models.OuterRef(article))
        ).values("pk")
        related = (
            Article.objects.published()
            .filter(pk__in=sharing)
            .exclude(pk=article)
            .order_by("-published_at", "-pk")[: Article.RELATED_SHOWN]
        )
        return self.annotate(
            category_rows=rows(Category.objects.filter(articles=article), "id", "name", "slug", "path"),
            tag_rows=rows(Tag.objects.filter(articles=article), "id", "name", "slug"),
            update_rows=rows(ArticleUpdate.objects.filter(article=article), "id", "date", "note"),
            related_rows=rows(related, "id", "title", "slug", "published_at", "summary"),
        )

    def next_scheduled_at(self):
        """When the next scheduled article appears to readers (None if none is scheduled)."""
        scheduled = self.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())
        return scheduled.aggregate(at=models.Min("published_at"))["at"]

    def store_comment_totals(self, article, *, comments, threads):
        """What comments.totals.recount_comments counted, written only if it differs from what is stored."""
        totals = {"comment_count": comments, "comment_thread_count": threads}
        return self.filter(pk=article.pk).exclude(**totals).update(**totals)

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)

    def in_categories(self, category):
        """Articles filed under `category` or any category inside it (each article once)."""
        subtree = Category.objects.subtree(category)
        return self.filter(pk__in=Article.categories.through.objects.filter(category__in=subtree).values("article_id"))


COMMENT_TOTALS = {"comment_count", "comment_thread_count"}


def today():
    return timezone.localdate()


class Article(models.Model):
    RELATED_SHOWN = 3

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PENDING = "pending", _("Pending review")
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
        _("body"),
        help_text=_("Markdown: blank line between paragraphs, “> ” quotes, “## ” headings."),
        validators=[validate_image_references],
    )
    body_html = models.TextField(editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        _("publication date"),
        default=timezone.now,
        help_text=_("A future date schedules the article: it appears to readers on its own at that time."),
    )
    last_updated_on = models.DateField(_("Last Updated On"), default=today)
    # An editor's note when sending the article back to its author (shown on the article's form until the author
    # submits it again); the revision history keeps every note.
    review_note = models.TextField(_("note from the editor"), blank=True, editable=False)
    allow_comments = models.BooleanField(_("allow comments"), default=True)
    close_comments_after_days = models.PositiveSmallIntegerField(
        _("close comments after (days)"),
        null=True,
        blank=True,
        help_text=_("Close comments this many days after publication. Empty: comments stay open."),
    )
    categories = models.ManyToManyField("Category", blank=True, related_name="articles", verbose_name=_("categories"))
    tags = models.ManyToManyField("Tag", blank=True, related_name="articles", verbose_name=_("tags"))
    featured_image = models.ForeignKey(
        Image,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="featured_in",
        verbose_name=_("featured image"),
        help_text=_("Optional. Shown above the article, in listings and in link previews."),
    )
    # The library images the body shows (kept by save(), from its [image:N] references): an image in use
    # cannot be deleted.
    inline_images = models.ManyToManyField(
        Image, through="ArticleImage", blank=True, related_name="shown_in", verbose_name=_("images in the body")
    )
    search_vector = models.GeneratedField(
        expression=SearchVector("title", weight="A", config="english")
        + SearchVector("body", weight="B", config="english"),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    # Kept by the comments app on every change to the thread (comments.totals.recount_comments), as
    # WordPress keeps comment_count: a page then never counts thousands of comments to show two numbers.
    comment_count = models.PositiveIntegerField(_("comments"), default=0, editable=False)
    comment_thread_count = models.PositiveIntegerField(_("comment threads"), default=0, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    modified = models.DateTimeField(_("modified"), auto_now=True)
    version = models.PositiveIntegerField(
        _("version"), default=1, editable=False, help_text=_("Goes up by one on every save; detects conflicting edits.")
    )

    objects = ArticleQuerySet.as_manager()
    # Every save keeps a full revision (who, when, what changed); derived and bookkeeping fields are left out.
    history = HistoricalRecords(
        excluded_fields=["body_html", "search_vector", "comment_count", "comment_thread_count", "modified", "version"],
        history_change_reason_field=models.TextField(null=True),
    )

    class Meta:
        ordering = ["-published_at", "-pk"]
        get_latest_by = "published_at"
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        # The roles (staff.roles): an author publishes their own articles; an editor reviews every author's.
        permissions = [
            ("publish_article", _("Can publish and schedule articles")),
            ("review_article", _("Can review, publish and edit every author's articles")),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_published_idx"),
            GinIndex(fields=["search_vector"], name="article_search_idx"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        adding = self._state.adding
        self.render_body()
        if not adding:
            self.version += 1
            if kwargs.get("update_fields") is None:
                # The comment totals are the comments app's to write: an editor's save of an article loaded
                # before a comment arrived must not put back the old ones.
                kwargs["update_fields"] = [
                    field.name
                    for field in self._meta.concrete_fields
                    if not field.primary_key and not field.generated and field.name not in COMMENT_TOTALS
                ]
        if kwargs.get("update_fields") is not None:
            extra = {"version", "body_html"} if "body" in kwargs["update_fields"] else {"version"}
            kwargs["update_fields"] = {*kwargs["update_fields"], *extra}
        super().save(*args, **kwargs)
        if kwargs.get("update_fields") is None or "body_html" in kwargs["update_fields"]:
            self.inline_images.set(self.body_images)
        if adding:
            # The history starts with the article's first date, without a note.
            self.updates.create(date=self.last_updated_on)

    def get_absolute_url(self):
        return reverse("blog:article", kwargs={"slug": self.slug})

    def public_path(self):
        """The path readers see this article at, or None while they cannot (redirects follow it)."""
        return self.get_absolute_url() if self.status == self.Status.PUBLISHED else None

    def get_social_card_url(self):
        return reverse("blog:social_card", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = ["authors.author"]

    def is_published(self):
        return self.status == self.Status.PUBLISHED and self.published_at <= timezone.now()

    is_published.boolean = True
    is_published.short_description = _("visible to readers")

    def render_body(self):
        """Build body_html from the Markdown body (also used to preview unsaved changes)."""
        self.body = self.body.replace("\r\n", "\n")  # Browsers submit textareas with CRLF line ends.
        self.body_html, self.body_images = embed_images(render_markdown(self.body))

    def publication_date(self):
        return timezone.localdate(self.published_at)

    def was_updated(self):
        """Whether "Last Updated On" is later than the day of publication (listings then show both)."""
        return self.last_updated_on > self.publication_date()

    def last_updated_at(self):
        """ "Last Updated On" as a moment, for feeds, JSON-LD and Open Graph: never before the publication
        itself (the start of the publication day would be, and readers' tools would call it out of order)."""
        start_of_day = timezone.make_aware(datetime.datetime.combine(self.last_updated_on, datetime.time.min))
        return max(self.published_at, start_of_day)

    def default_update_date(self):
        """The date an update made now gets: today, or the publication date if that is still to come."""
        return max(timezone.localdate(), self.publication_date())

    def clean(self):
        if self.last_updated_on is None or self.published_at is None:
            return  # The fields' own errors are reported already.
        if self.last_updated_on < self.publication_date():
            published = admin_date(self.publication_date())
            raise ValidationError(
                {"last_updated_on": _("“Last Updated On” cannot be before the publication date (%s).") % published}
            )
        if self.last_updated_on > self.default_update_date():
            raise ValidationError({"last_updated_on": _("“Last Updated On” cannot be in the future.")})

    def record_update(self, *, note="", editor=None, date=None):
        """Move "Last Updated On" (to `date`, else today) and add the entry to the update history."""
        self.last_updated_on = date or self.default_update_date()
        self._change_reason = note or _("Marked as updated")
        self._history_user = editor
        self.save()
        self.__dict__.pop("update_history", None)  # The cached_property below: read again with the new entry.
        return self.updates.create(date=self.last_updated_on, note=note, editor=editor)

    def sync_first_update(self):
        """While the history holds only its first entry without a note, that entry follows "Last Updated On".

        So a draft published later, or a date corrected by hand, does not leave a stale first entry.
        """
        entries = list(self.updates.all()[:2])
        if len(entries) == 1 and not entries[0].note and entries[0].date != self.last_updated_on:
            entries[0].date = self.last_updated_on
            entries[0].save(update_fields=["date"])

    @cached_property
    def update_history(self):
        """The public update history, newest first (read with the article by with_page_details, if it was)."""
        if hasattr(self, "update_rows"):
            return [
                ArticleUpdate(
                    id=row["id"], article=self, date=datetime.date.fromisoformat(row["date"]), note=row["note"]
                )
                for row in self.update_rows
            ]
        return list(self.updates.all()) if self.pk else []

    @cached_property
    def shown_categories(self):
        """The article's categories (read with the article by with_page_details, if it was)."""
        if hasattr(self, "category_rows"):
            return [Category(**row) for row in self.category_rows]
        return list(self.categories.all()) if self.pk else []

    @cached_property
    def shown_tags(self):
        """The article's tags (read with the article by with_page_details, if it was)."""
        if hasattr(self, "tag_rows"):
            return [Tag(**row) for row in self.tag_rows]
        return list(self.tags.all()) if self.pk else []

    @cached_property
    def related_articles(self):
        """Up to RELATED_SHOWN newest published articles sharing a tag or category (read with the article by
        with_page_details; none otherwise)."""
        return [
            Article(
                id=row["id"],
                title=row["title"],
                slug=row["slug"],
                summary=row["summary"],
                published_at=datetime.datetime.fromisoformat(row["published_at"]),
            )
            for row in getattr(self, "related_rows", None) or []
        ]

    def cache_tags(self):
        """What the article's page shows (config.cachetags): the article, its comments, its author, categories
        and tags, and the related articles (a newly published one changes the tags or categories it shares,
        blog/receivers.py)."""
        return [
            object_tag(self),
            object_tag(self, "comments"),
            object_tag(self.author),
            *map(object_tag, self.shown_categories),
            *map(object_tag, self.shown_tags),
            *map(object_tag, self.related_articles),
        ]

    def reading_minutes(self):
        """About how long the body takes to read, at 230 words a minute (at least one)."""
        return max(1, round(len(self.body.split()) / 230))

    def comments_close_at(self):
        """When comments close on their own (None if they never do)."""
        if self.close_comments_after_days is None:
            return None
        return self.published_at + datetime.timedelta(days=self.close_comments_after_days)

    def comments_open(self):
        """Whether readers may comment now: comments are allowed and not past their closing moment."""
        if not self.allow_comments:
            return False
        closes_at = self.comments_close_at()
        return closes_at is None or timezone.now() < closes_at

    @property
    def excerpt(self):
        """The summary, else the first paragraph of the body, as plain text."""
        return self.summary or Truncator(strip_tags(self.body_html.split("</p>", 1)[0])).words(40)


class ArticleUpdate(models.Model):
    """One entry of an article's public update history: when it was updated, why, and by whom."""

    article = models.ForeignKey(Article, models.CASCADE, related_name="updates", verbose_name=_("article"))
    date = models.DateField(_("date"), default=today)
    note = models.CharField(
        _("change note"), max_length=200, blank=True, help_text=_("One line for readers: what changed and why.")
    )
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="article_updates",
        verbose_name=_("editor"),
    )
    created = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("update history entry")
        verbose_name_plural = _("update history")

    def __str__(self):
        return admin_date(self.date)


class ArticleImage(models.Model):
    """A library image shown in an article's body: while it is, the image cannot be deleted."""

    article = models.ForeignKey(Article, models.CASCADE, verbose_name=_("article"))
    image = models.ForeignKey(Image, models.PROTECT, related_name="article_uses", verbose_name=_("image"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "image"], name="article_image_once")]
        verbose_name = _("image in an article")
        verbose_name_plural = _("images in articles")

    def __str__(self):
        return str(self.article)


class CategoryQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)

    def top_level(self):
        return self.filter(parent=None)

    def subtree(self, category):
        """`category` and every category below it."""
        return self.filter(models.Q(pk=category.pk) | models.Q(path__startswith=f"{category.path}/"))


class Category(models.Model):
    """A section of the site. Categories nest up to MAX_DEPTH levels; each has an archive at /category/<path>/."""

    MAX_DEPTH = 3

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(
        _("slug"), max_length=100, unique=True, help_text=_("The last part of the address, unique among categories.")
    )
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
        help_text=_("Empty for a top-level category (shown in the site's navigation)."),
    )
    description = models.TextField(
        _("description"), blank=True, help_text=_("Optional. Shown on the category's page and to search engines.")
    )
    # The slugs from the top-level category down ("news/mobile"): the archive's address, found in one lookup.
    path = models.CharField(_("path"), max_length=310, unique=True, editable=False)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return " › ".join(self.ancestor_names()) if self.parent_id else self.name

    def save(self, *args, **kwargs):
        old_path = self.path
        self.path = self.build_path()
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            for child in self.children.all():
                child.save()  # Their paths start with this one's.

    def get_absolute_url(self):
        return reverse("blog:category", kwargs={"path": self.path})

    def get_feed_url(self):
        return reverse("blog:category_feed", kwargs={"slug": self.slug})

    def get_atom_feed_url(self):
        return reverse("blog:category_feed_atom", kwargs={"slug": self.slug})

    def public_path(self):
        """The archive's path once saved (follows the parent's)."""
        return reverse("blog:category", kwargs={"path": self.build_path()})

    def stored_public_path(self):
        """The archive's path as stored (while a parent's save moves its children, their parent is already new)."""
        return self.get_absolute_url()

    def natural_key(self):
        return (self.slug,)

    def build_path(self):
        return f"{self.parent.build_path()}/{self.slug}" if self.parent_id else self.slug

    def ancestor_names(self):
        return [*(self.parent.ancestor_names() if self.parent_id else []), self.name]

    def depth(self):
        return 1 + (self.parent.depth() if self.parent_id else 0)

    def height(self):
        """Levels from this category down to its deepest descendant (1 without children)."""
        deepest = Category.objects.filter(path__startswith=f"{self.path}/").values_list("path", flat=True)
        return 1 + max((path.count("/") - self.path.count("/") for path in deepest), default=0)

    def clean(self):
        if self.parent_id is None:
            return
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": _("A category cannot be inside itself.")})
            ancestor = ancestor.parent
        levels = self.parent.depth() + (self.height() if self.pk else 1)
        if levels > self.MAX_DEPTH:
            raise ValidationError(
                {"parent": _("Categories nest at most %(max)d levels deep.") % {"max": self.MAX_DEPTH}}
            )


class TagQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(
        _("description"), blank=True, help_text=_("Optional. Shown on the tag's page and to search engines.")
    )

    objects = TagQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("blog:tag", kwargs={"slug": self.slug})

    def get_feed_url(self):
        return reverse("blog:tag_feed", kwargs={"slug": self.slug})

    def get_atom_feed_url(self):
        return reverse("blog:tag_feed_atom", kwargs={"slug": self.slug})

    def public_path(self):
        return self.get_absolute_url()

    def natural_key(self):
        return (self.slug,)

    @classmethod
    def named(cls, name):
        """The tag called `name` (any case), else an unsaved one of that name: looking writes nothing."""
        name = " ".join(name.split())[: cls._meta.get_field("name").max_length]
        return cls.objects.filter(name__iexact=name).first() or cls(name=name)

    @classmethod
    def for_name(cls, name):
        """The tag called `name` (any case), created with a free slug if there is none."""
        tag = cls.named(name)
        if tag.pk is not None:
            return tag
        base = slugify(tag.name)[:90] or "tag"
        slug, number = base, 1
        while cls.objects.filter(slug=slug).exists():
            number += 1
            slug = f"{base}-{number}"
        return cls.objects.create(name=tag.name, slug=slug)


class SiteContentRecord(models.Model):
    """A fixture object load_site_content has loaded once: never loaded again, even after an editor deletes it."""

    model = models.CharField(_("model"), max_length=100)
    key = models.CharField(_("key"), max_length=300, help_text=_("Its natural key (or primary key), as JSON."))
    loaded = models.DateTimeField(_("loaded"), auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["model", "key"], name="site_content_record_once")]
        verbose_name = _("loaded site content")
        verbose_name_plural = _("loaded site content")

    def __str__(self):
        return f"{self.model} {self.key}"
