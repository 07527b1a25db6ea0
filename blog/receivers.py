"""What the content model does when it changes: old addresses redirect, bodies showing an image follow it,
and the cached public pages showing what changed are invalidated (config.cachetags), in this one place.

Which tags a change touches:
- an article that is or was published: its own page and the lists of articles; a draft's changes, none;
- an update history entry: its article's page;
- an article's categories or tags: its page and the lists;
- an author, category or tag: the pages that show it and the lists of its kind (the sitemap's too);
  a top-level category is one of the header's sections, so every page;
- an image: the articles that show it, and the lists (their featured images);
- the Site (its name is on every page): every page.
"""

from django.contrib.sites.models import Site
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from authors.models import Author
from config.cachetags import SITE, invalidate, list_tag, object_tag
from images.models import Image

from .models import Article, ArticleUpdate, Category, Tag
from .redirects import follow_path_changes


def rerender_articles_showing(sender, instance, created=False, raw=False, **kwargs):
    """An image's alt text, caption or credit changed: the article bodies that show it are built again."""
    if created or raw:
        return
    for article in Article.objects.filter(inline_images=instance):
        article.render_body()
        Article.objects.filter(pk=article.pk).update(body_html=article.body_html)


def remember_published(sender, instance, raw=False, **kwargs):
    """Whether readers could see the article before this save (scheduled ones count: lists wait for them)."""
    if not raw and instance.pk is not None:
        before = Article.objects.filter(pk=instance.pk).values_list("status", flat=True).first()
        instance._was_published = before == Article.Status.PUBLISHED


def article_changed(sender, instance, **kwargs):
    """Its page, the lists, and the pages of the articles sharing its categories and tags (their related
    articles); the pages of unrelated articles stay cached."""
    if instance.status == Article.Status.PUBLISHED or getattr(instance, "_was_published", False):
        terms = [*instance.categories.all(), *instance.tags.all()] if instance.pk else []
        invalidate(object_tag(instance), list_tag(Article), *map(object_tag, terms))


def article_update_changed(sender, instance, **kwargs):
    invalidate(object_tag(Article(pk=instance.article_id)))


def article_terms_changed(sender, instance, action, pk_set=None, **kwargs):
    """An article's categories or tags changed, from either side of the relation."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if isinstance(instance, Article):
        articles, terms = [instance], [kwargs["model"](pk=pk) for pk in pk_set or ()]
    else:
        articles, terms = [Article(pk=pk) for pk in pk_set or ()], [instance]
    # The terms too: the articles filed under them show this one among their related articles.
    invalidate(list_tag(Article), *map(object_tag, articles), *map(object_tag, terms))


def remember_section(sender, instance, raw=False, **kwargs):
    """Whether the category was one of the header's sections (top level) before this save."""
    if not raw and instance.pk is not None:
        instance._was_section = Category.objects.filter(pk=instance.pk, parent=None).exists()


def term_changed(sender, instance, **kwargs):
    """An author, category or tag: its pages and its kind's lists; the header's sections are on every page."""
    tags = [object_tag(instance), list_tag(sender)]
    if sender is Category and (instance.parent_id is None or getattr(instance, "_was_section", False)):
        tags.append(SITE)
    invalidate(*tags)


def image_changed(sender, instance, created=False, raw=False, **kwargs):
    if created or raw:
        return
    articles = Article.objects.filter(Q(featured_image=instance) | Q(inline_images=instance)).distinct()
    tags = [object_tag(article) for article in articles.only("pk")]
    if tags:
        invalidate(list_tag(Article), *tags)


def site_changed(sender, **kwargs):
    invalidate(SITE)


def connect():
    for model in (Article, Category, Tag):
        follow_path_changes(model)
    post_save.connect(rerender_articles_showing, sender=Image, dispatch_uid="blog-rerender-image-users")
    post_save.connect(image_changed, sender=Image, dispatch_uid="pages-changed-Image")
    pre_save.connect(remember_published, sender=Article, dispatch_uid="pages-published-Article")
    pre_save.connect(remember_section, sender=Category, dispatch_uid="pages-section-Category")
    for signal in (post_save, post_delete):
        signal.connect(article_changed, sender=Article, dispatch_uid="pages-changed-Article")
        signal.connect(article_update_changed, sender=ArticleUpdate, dispatch_uid="pages-changed-ArticleUpdate")
        signal.connect(site_changed, sender=Site, dispatch_uid="pages-changed-Site")
        for model in (Author, Category, Tag):
            signal.connect(term_changed, sender=model, dispatch_uid=f"pages-changed-{model.__name__}")
    for relation in (Article.categories.through, Article.tags.through):
        m2m_changed.connect(article_terms_changed, sender=relation, dispatch_uid=f"pages-changed-{relation.__name__}")
