import datetime
import functools

import factory
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone

from authors.models import Author
from blog.models import Article, Category, Tag
from images.models import Image
from pages.models import Page


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Writer {n}")
    slug = factory.Sequence(lambda n: f"writer-{n}")
    bio = "Writes about phones."


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Article number {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    author = factory.SubFactory(AuthorFactory)
    body = "First paragraph.\n\nSecond paragraph."
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    last_updated_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=1))


def hashed_once(password):
    """`password` hashed by the hasher in use, once per run and hasher: a hash by the site's own costs a quarter of
    a second by design, and the suite creates well over a thousand users (the salt is shared, harmless here)."""
    return _hashed(password, tuple(settings.PASSWORD_HASHERS))


@functools.cache
def _hashed(password, hashers):
    return make_password(password)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password("a-long-test-password", transform=hashed_once)


class EditorFactory(UserFactory):
    """A staff member of the Editors group, as created by the data migration."""

    username = factory.Sequence(lambda n: f"editor{n}")
    is_staff = True

    class Meta:
        skip_postgeneration_save = True

    @factory.post_generation
    def editors_group(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get(name="Editors"))


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class ImageFactory(factory.django.DjangoModelFactory):
    """A library image (its renditions are written to storage)."""

    class Meta:
        model = Image

    file = factory.django.ImageField(filename="photo.jpg", width=2000, height=1000, format="JPEG")
    alt_text = factory.Sequence(lambda n: f"A street market in Lahore, photo {n}")
    caption = "Shoppers at a phone stall."
    credit = "Photo: Jane Doe"


class PageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Page

    title = factory.Sequence(lambda n: f"Page {n}")
    slug = factory.Sequence(lambda n: f"page-{n}")
    body = "Some **text**."
    status = Page.Status.PUBLISHED
