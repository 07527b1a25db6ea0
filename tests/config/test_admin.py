import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone

from authors.models import Author
from blog.models import Article
from tests.comment_factories import CommentFactory
from tests.factories import ArticleFactory, UserFactory
from tests.forms import form_data

pytestmark = pytest.mark.django_db


def article_change_url(article):
    return reverse("admin:blog_article_change", args=[article.pk])


def test_editor_changes_last_updated_on_through_the_admin_form_and_the_page_shows_it(editor_client, site_content):
    change_form = editor_client.get(article_change_url(site_content))
    data = form_data(change_form, "article_form")
    assert data["last_updated_on"] == "04/08/2016"  # The admin widget uses the same day/month/year format.
    data.update(last_updated_on="21/11/2026", change_kind="correction")

    response = editor_client.post(article_change_url(site_content), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    page = editor_client.get(site_content.get_absolute_url()).content.decode()
    assert '(Last Updated On: <time datetime="2026-11-21">21/11/2026</time>)' in page


def test_editor_saving_the_change_form_unchanged_keeps_the_text_verbatim(editor_client, site_content):
    data = form_data(editor_client.get(article_change_url(site_content)), "article_form")

    editor_client.post(article_change_url(site_content), data)

    saved = Article.objects.get(pk=site_content.pk)
    assert saved.body == site_content.body
    assert saved.last_updated_on == datetime.date(2016, 8, 4)


def test_change_form_uses_the_admin_date_picker_for_last_updated_on(editor_client, site_content):
    content = editor_client.get(article_change_url(site_content)).content.decode()

    assert 'name="last_updated_on"' in content
    assert "vDateField" in content
    assert "Last Updated On" in content


def test_mark_as_updated_today_action(editor_client):
    articles = ArticleFactory.create_batch(2, last_updated_on=datetime.date(2020, 1, 1))

    editor_client.post(
        reverse("admin:blog_article_changelist"),
        {"action": "mark_updated_today", "_selected_action": [a.pk for a in articles]},
    )

    assert set(Article.objects.values_list("last_updated_on", flat=True)) == {timezone.localdate()}


@pytest.mark.parametrize(
    "url_name",
    ["admin:index", "admin:blog_article_changelist", "admin:blog_article_add", "admin:authors_author_changelist",
     "admin:authors_author_add", "admin:django_comments_xtd_xtdcomment_changelist"],
)  # fmt: skip
def test_admin_pages_open_for_an_editor(editor_client, site_content, url_name):
    assert editor_client.get(reverse(url_name)).status_code == 200


def test_article_changelist_shows_title_author_status_and_date(editor_client, site_content):
    content = editor_client.get(reverse("admin:blog_article_changelist")).content.decode()

    assert "Why Xiaomi Smartphones Banned in Pakistan?" in content
    assert "Alison Johnson" in content
    assert "Last Updated On" in content


def test_article_changelist_shows_how_many_comments_readers_see(editor_client, site_content):
    CommentFactory.create_batch(3, article=site_content)

    response = editor_client.get(reverse("admin:blog_article_changelist"))

    assert '<td class="field-comments">3</td>' in response.content.decode()


def test_article_changelist_links_each_articles_held_comments(editor_client, site_content):
    CommentFactory.create_batch(3, article=site_content)
    CommentFactory.create_batch(2, article=site_content, is_public=False)  # Held for moderation.
    CommentFactory(article=ArticleFactory(), is_public=False)  # Held, on another article.

    response = editor_client.get(reverse("admin:blog_article_changelist"))

    comment_list = reverse("admin:django_comments_xtd_xtdcomment_changelist")
    held_url = f"{comment_list}?status=held&amp;article={site_content.pk}"
    assert f'<td class="field-comments">3 · <a href="{held_url}">2 held</a></td>' in response.content.decode()


def test_article_changelist_query_count_does_not_grow_with_articles_or_comments(
    editor_client, django_assert_max_num_queries
):
    for article in ArticleFactory.create_batch(5):
        CommentFactory.create_batch(2, article=article, is_public=False)
    editor_client.get(reverse("admin:blog_article_changelist"))

    with django_assert_max_num_queries(10):
        editor_client.get(reverse("admin:blog_article_changelist"))


def test_admin_index_says_how_many_comments_await_moderation_and_links_them(editor_client, site_content):
    CommentFactory.create_batch(2, article=site_content, is_public=False)
    CommentFactory(article=site_content)

    content = editor_client.get(reverse("admin:index")).content.decode()

    held_url = reverse("admin:django_comments_xtd_xtdcomment_changelist") + "?status=held"
    assert f'<a href="{held_url}">2 comments are awaiting moderation</a>' in content


def test_admin_index_says_when_no_comment_awaits_moderation(editor_client, site_content):
    assert "No comments are awaiting moderation." in editor_client.get(reverse("admin:index")).content.decode()


def test_admin_index_says_nothing_of_comments_to_staff_who_may_not_see_them(client):
    client.force_login(UserFactory(is_staff=True))

    assert "awaiting moderation" not in client.get(reverse("admin:index")).content.decode()


def test_article_changelist_shows_status_and_dates_compactly(editor_client, site_content):
    scheduled = ArticleFactory(
        status=Article.Status.PUBLISHED, published_at=timezone.now() + datetime.timedelta(days=3), title="Soon"
    )

    response = editor_client.get(reverse("admin:blog_article_changelist"))

    content = response.content.decode()
    assert '<td class="field-publication_status">Published</td>' in content
    assert '<td class="field-publication_status">Scheduled</td>' in content
    assert '<td class="field-publication_date">04/08/2016</td>' in content
    assert '<td class="field-last_updated">04/08/2016</td>' in content
    assert scheduled.title in content


def test_article_changelist_gives_its_columns_the_room_of_the_navigation_sidebar(editor_client, site_content):
    response = editor_client.get(reverse("admin:blog_article_changelist"))

    assert response.context["is_nav_sidebar_enabled"] is False
    assert 'id="nav-sidebar"' not in response.content.decode()


def test_article_changelist_search_finds_by_body(editor_client, site_content):
    response = editor_client.get(reverse("admin:blog_article_changelist"), {"q": "Khurram Mehran"})

    assert list(response.context["cl"].result_list) == [site_content]


def test_author_change_form_opens_with_initials_preview(editor_client, site_content):
    author = site_content.author

    content = editor_client.get(reverse("admin:authors_author_change", args=[author.pk])).content.decode()

    assert ">AJ</span>" in content


def test_editors_group_cannot_manage_users(editor_client):
    assert editor_client.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_editors_group_may_manage_articles_authors_and_comments():
    codenames = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))

    assert {"change_article", "add_author", "change_xtdcomment", "can_moderate"} <= codenames
    assert not codenames & {"add_user", "change_user", "change_group"}


def test_author_deletion_is_protected_while_they_have_articles(site_content):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        Author.objects.get(slug="alison-johnson").delete()


def section_models(response):
    return {
        section["name"]: [model["object_name"] for model in section["models"]]
        for section in response.context["app_list"]
    }


def test_admin_index_shows_everything_editors_moderate_with_in_one_comments_section(editor_client):
    sections = section_models(editor_client.get(reverse("admin:index")))

    assert sections == {
        "Authors": ["Author"],
        "Blog": ["Article", "Category", "Tag"],
        "Moderation": ["BlackListedDomain", "BlockedWord", "XtdComment"],
        "Image library": ["Image"],
        "Pages": ["Page"],
        "Redirects": ["Redirect"],
    }


@pytest.mark.parametrize("app_label", ["comments", "django_comments_xtd"])
def test_either_comments_app_page_shows_the_whole_comments_section(editor_client, app_label):
    sections = section_models(editor_client.get(reverse("admin:app_list", args=[app_label])))

    assert sections == {"Moderation": ["BlackListedDomain", "BlockedWord", "XtdComment"]}


def test_comments_section_lists_only_what_the_user_may_see(client):
    moderator = UserFactory(is_staff=True)
    moderator.user_permissions.add(Permission.objects.get(codename="view_xtdcomment"))
    client.force_login(moderator)

    assert section_models(client.get(reverse("admin:index"))) == {"Moderation": ["XtdComment"]}
    assert client.get(reverse("admin:app_list", args=["comments"])).status_code == 404


def test_comment_list_breadcrumbs_read_home_moderation_comments(editor_client):
    page = editor_client.get(reverse("admin:django_comments_xtd_xtdcomment_changelist")).content.decode()

    breadcrumbs = page.split('<div class="breadcrumbs">', 1)[1].split("</div>", 1)[0]
    section = reverse("admin:app_list", args=["django_comments_xtd"])
    assert " ".join(breadcrumbs.split()) == (
        f'<a href="{reverse("admin:index")}">Home</a> &rsaquo; <a href="{section}">Moderation</a> &rsaquo; Comments'
    )


def test_change_form_shows_long_titles_and_notes_in_wide_inputs(editor_client, site_content):
    form = editor_client.get(article_change_url(site_content)).context["adminform"].form

    for name in ("title", "slug", "change_note"):
        assert form.fields[name].widget.attrs["class"] == "vLargeTextField", name
