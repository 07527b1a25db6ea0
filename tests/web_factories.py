"""Factories for the readers-and-web tests (comments as django-comments-xtd stores them)."""

import factory
from django.contrib.contenttypes.models import ContentType
from django.contrib.sites.models import Site
from django_comments_xtd.models import XtdComment

from tests.factories import ArticleFactory


class CommentFactory(factory.django.DjangoModelFactory):
    """An approved comment on an article; pass is_public=False or is_removed=True for hidden ones."""

    class Meta:
        model = XtdComment
        exclude = ["article"]

    article = factory.SubFactory(ArticleFactory)
    content_type = factory.LazyAttribute(lambda comment: ContentType.objects.get_for_model(comment.article))
    object_pk = factory.LazyAttribute(lambda comment: str(comment.article.pk))
    site = factory.LazyFunction(Site.objects.get_current)
    name = factory.Sequence(lambda n: f"Reader {n}")
    email = factory.LazyAttribute(lambda comment: f"{comment.name.lower().replace(' ', '.')}@example.com")
    comment = "Thanks for the article."
    is_public = True
    is_removed = False
