"""What the content model does when it changes: old addresses redirect, bodies showing an image follow it,
and cached public pages are invalidated."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from config.pagecache import invalidate_site_pages
from images.models import Image

from .models import Article, Category, Tag
from .redirects import follow_path_changes


def rerender_articles_showing(sender, instance, created=False, raw=False, **kwargs):
    """An image's alt text, caption or credit changed: the article bodies that show it are built again."""
    if created or raw:
        return
    for article in Article.objects.filter(inline_images=instance):
        article.render_body()
        Article.objects.filter(pk=article.pk).update(body_html=article.body_html)


def public_pages_changed(sender, **kwargs):
    """A category, tag, image or page was saved or deleted, or an article's categories or tags changed: the
    header's sections, the footer's pages, article pages and listings show them.
    """
    invalidate_site_pages()


def connect():
    for model in (Article, Category, Tag):
        follow_path_changes(model)
    post_save.connect(rerender_articles_showing, sender=Image, dispatch_uid="blog-rerender-image-users")
    for model in (Category, Tag, Image):
        for signal in (post_save, post_delete):
            signal.connect(public_pages_changed, sender=model, dispatch_uid=f"pages-changed-{model.__name__}")
    for relation in (Article.categories.through, Article.tags.through):
        m2m_changed.connect(public_pages_changed, sender=relation, dispatch_uid=f"pages-changed-{relation.__name__}")
