"""Dates on the site's calendar (TIME_ZONE), in one format for readers (BLOG_DATE_FORMAT) and one for the admin.

An article published at 21:30 UTC is out at 02:30 the next day in Karachi (UTC+5): every page dates it then.
"""

import datetime
import re

import pytest
from django.urls import reverse

from blog.models import Article
from blog.social_cards import card_lines
from tests.comment_factories import CommentFactory
from tests.factories import ArticleFactory
from tests.forms import form_data

pytestmark = pytest.mark.django_db

LATE_EVENING_UTC = datetime.datetime(2024, 3, 14, 21, 30, tzinfo=datetime.UTC)
UTC_DAY, KARACHI_DAY = "14/03/2024", "15/03/2024"


@pytest.fixture
def karachi(settings):
    settings.TIME_ZONE = "Asia/Karachi"
    return settings


@pytest.fixture
def late_article(karachi):
    return ArticleFactory(
        title="Published late in the evening, UTC",
        published_at=LATE_EVENING_UTC,
        last_updated_on=datetime.date(2024, 3, 15),
    )


def published_line(content):
    return re.search(r"Published <time[^>]*>([^<]*)</time>", content).group(1)


def test_article_page_dates_it_on_the_sites_calendar(client, late_article):
    content = client.get(late_article.get_absolute_url()).content.decode()

    assert published_line(content) == KARACHI_DAY
    assert UTC_DAY not in content


def test_home_page_listing_dates_it_on_the_sites_calendar(client, late_article):
    content = client.get(reverse("blog:home")).content.decode()

    assert published_line(content) == KARACHI_DAY


def test_author_page_listing_dates_it_on_the_sites_calendar(client, late_article):
    content = client.get(late_article.author.get_absolute_url()).content.decode()

    assert published_line(content) == KARACHI_DAY


def test_social_card_dates_it_on_the_sites_calendar(late_article):
    assert card_lines(late_article, "Mobile Tech Journal")[2].endswith(f"· {KARACHI_DAY}")


def test_admin_article_list_dates_it_on_the_sites_calendar(editor_client, late_article):
    content = editor_client.get(reverse("admin:blog_article_changelist")).content.decode()

    assert f'<td class="field-publication_date">{KARACHI_DAY}</td>' in content


def test_admin_comment_list_shows_the_sites_time_in_the_admin_format(editor_client, late_article):
    CommentFactory(article=late_article, submit_date=LATE_EVENING_UTC)

    content = editor_client.get(reverse("admin:django_comments_xtd_xtdcomment_changelist")).content.decode()

    assert f'<td class="field-submitted">{KARACHI_DAY} 02:30</td>' in content


def test_preview_names_the_scheduled_time_on_the_sites_clock_in_the_admin_format(editor_client, late_article):
    Article.objects.filter(pk=late_article.pk).update(
        published_at=datetime.datetime(2999, 3, 14, 21, 30, tzinfo=datetime.UTC)
    )
    change_url = reverse("admin:blog_article_change", args=[late_article.pk])
    data = form_data(editor_client.get(change_url), "article_form")

    response = editor_client.post(reverse("admin:blog_article_preview", args=[late_article.pk]), data)

    assert "(published, scheduled for 15/03/2999 02:30)" in response.content.decode()


def test_history_dates_revisions_and_a_moved_publication_in_the_admin_format(editor_client, late_article):
    """Not "14 Mar 2024, 9:30 p.m." for the revision, nor "2024-03-14 21:30:00+00:00 → …" for the change."""
    change_url = reverse("admin:blog_article_change", args=[late_article.pk])
    data = form_data(editor_client.get(change_url), "article_form")
    data.update(published_at_0=KARACHI_DAY, published_at_1="03:45:00")
    assert editor_client.post(change_url, data).status_code == 302
    late_article.history.filter(pk=late_article.history.last().pk).update(history_date=LATE_EVENING_UTC)

    content = editor_client.get(reverse("admin:blog_article_history", args=[late_article.pk])).content.decode()

    assert f"<td>{KARACHI_DAY} 02:30</td>" in content
    assert re.search(rf"{KARACHI_DAY} 02:30\s*&nbsp;&rarr;&nbsp;&nbsp;{KARACHI_DAY} 03:45", content)


def test_date_correction_is_recorded_in_the_admin_format_whatever_readers_see(editor_client, late_article, karachi):
    karachi.BLOG_DATE_FORMAT = "j F Y"
    change_url = reverse("admin:blog_article_change", args=[late_article.pk])
    data = form_data(editor_client.get(change_url), "article_form")
    data.update(last_updated_on="16/03/2024", change_kind="correction")

    assert editor_client.post(change_url, data).status_code == 302

    assert late_article.history.first().history_change_reason == (
        f"Date correction: “Last Updated On” {KARACHI_DAY} → 16/03/2024"
    )
    content = editor_client.get(late_article.get_absolute_url()).content.decode()
    assert "15 March 2024" in content
