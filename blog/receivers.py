"""What the content model does when it changes: old addresses redirect, bodies showing an image follow it."""

from django.db.models.signals import post_save

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


def connect():
    for model in (Article, Category, Tag):
        follow_path_changes(model)
    post_save.connect(rerender_articles_showing, sender=Image, dispatch_uid="blog-rerender-image-users")
