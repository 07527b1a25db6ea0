"""blog.page_query: the article page's one query gives what the ORM gives, in one statement."""

import datetime

import pytest
from django.utils import timezone

from blog.models import Article
from blog.page_query import ARTICLE_FIELDS, article_for_page

from .factories import ArticleFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()
ARTICLES = {
    "published": {"status": Article.Status.PUBLISHED, "published_at": NOW - datetime.timedelta(days=1)},
    "scheduled": {"status": Article.Status.PUBLISHED, "published_at": NOW + datetime.timedelta(hours=1)},
    "draft": {"status": Article.Status.DRAFT, "published_at": NOW - datetime.timedelta(days=1)},
}


@pytest.mark.parametrize("drafts", [False, True])
@pytest.mark.parametrize("kind", ARTICLES)
def test_finds_the_articles_the_orm_finds(kind, drafts):
    article = ArticleFactory(**ARTICLES[kind])
    readers_see = Article.objects.published() if not drafts else Article.objects.all()

    found = article_for_page(article.slug, drafts=drafts)

    assert (found is not None) == readers_see.filter(slug=article.slug).exists()


def test_unknown_slug_finds_nothing():
    assert article_for_page("no-such-article", drafts=True) is None


def test_article_and_author_have_the_orm_values(site_content):
    expected = Article.objects.select_related("author").get(pk=site_content.pk)

    article = article_for_page(site_content.slug)

    for field in ARTICLE_FIELDS:
        assert getattr(article, field.attname) == getattr(expected, field.attname), field.name
    for field in expected.author._meta.concrete_fields:
        assert getattr(article.author, field.attname) == getattr(expected.author, field.attname), field.name


def test_update_history_is_the_orm_history_newest_first(site_content):
    site_content.record_update(note="Xiaomi replied to PTA.", date=datetime.date(2016, 9, 1))
    site_content.record_update(note="Same day, second note.", date=datetime.date(2016, 9, 1))
    site_content.record_update(note="“Curly” <notes> & all.", date=datetime.date(2016, 8, 20))
    expected = [(update.pk, update.date, update.note) for update in site_content.updates.all()]

    article = article_for_page(site_content.slug)

    assert [(update.pk, update.date, update.note) for update in article.update_history] == expected
    assert len(expected) == 4


def test_loads_the_page_in_one_query(site_content, django_assert_num_queries):
    site_content.record_update(note="Xiaomi replied to PTA.")

    with django_assert_num_queries(1):
        article = article_for_page(site_content.slug)
        shown = (article.author.name, article.comment_count, [update.note for update in article.update_history])

    assert shown[0] == "Alison Johnson"
    assert shown[2] == ["Xiaomi replied to PTA.", ""]
