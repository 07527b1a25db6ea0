"""Review before publishing: a contributor submits, the editors are told by mail (task worker), an editor sends the
article back with a note the author sees, or publishes it; History names each step and who took it. An article
under review is never shown to readers. Also: an author edits their own profile only, and the second factor and
the lockout hold for every role."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from blog.models import Article
from tests.factories import ArticleFactory, AuthorFactory, UserFactory
from tests.forms import form_data
from tests.newsroom import change_url, client_for, staff_member

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("quick_password_hashes")]


@pytest.fixture
def contributor():
    return staff_member("contributor", username="cora")


@pytest.fixture
def chief():
    return staff_member("editor", username="chief")


def save(client, article, button=None, **changes):
    data = {**form_data(client.get(change_url(article)), "article_form"), **changes}
    if button:
        data[button] = "1"
    response = client.post(change_url(article), data)
    article.refresh_from_db()
    return response


def test_a_contributors_form_offers_submit_for_review_and_no_published_status(contributor):
    article = ArticleFactory(author=contributor.author, status=Article.Status.DRAFT)

    page = client_for(contributor).get(change_url(article)).content.decode()

    assert 'name="_submit_for_review"' in page
    assert '<option value="published"' not in page


def test_a_contributor_posting_published_is_refused_with_the_reason_named(contributor):
    article = ArticleFactory(author=contributor.author, status=Article.Status.DRAFT)

    response = save(client_for(contributor), article, status="published")

    assert response.status_code == 200
    assert "status" in response.context["adminform"].form.errors
    assert article.status == Article.Status.DRAFT


def test_submitting_records_who_submitted_in_the_history(contributor):
    article = ArticleFactory(author=contributor.author, status=Article.Status.DRAFT)

    save(client_for(contributor), article, button="_submit_for_review")

    revision = article.history.first()
    assert article.status == Article.Status.PENDING
    assert revision.history_user == contributor
    assert revision.history_change_reason.startswith("Submitted for review")


def test_sending_back_shows_the_note_on_the_authors_form_and_the_history_names_the_editor(contributor, chief):
    article = ArticleFactory(author=contributor.author, status=Article.Status.PENDING)

    save(client_for(chief), article, button="_send_back", send_back_note="Cite the PTA's statement, please.")

    assert article.status == Article.Status.DRAFT
    revision = article.history.first()
    assert revision.history_user == chief
    assert revision.history_change_reason.startswith("Sent back to the author: Cite the PTA")
    page = client_for(contributor).get(change_url(article)).content.decode()
    assert "Sent back by the editor" in page
    assert "Cite the PTA&#x27;s statement, please." in page


def test_sending_back_without_a_note_is_refused(contributor, chief):
    article = ArticleFactory(author=contributor.author, status=Article.Status.PENDING)

    response = save(client_for(chief), article, button="_send_back", send_back_note=" ")

    assert "send_back_note" in response.context["adminform"].form.errors
    assert article.status == Article.Status.PENDING


def test_submitting_again_clears_the_note_and_the_history_keeps_it(contributor, chief):
    article = ArticleFactory(author=contributor.author, status=Article.Status.PENDING)
    save(client_for(chief), article, button="_send_back", send_back_note="Shorter.")

    save(client_for(contributor), article, button="_submit_for_review", body="Shorter text.")

    assert (article.status, article.review_note) == (Article.Status.PENDING, "")
    assert article.history.filter(review_note="Shorter.").exists()


def test_an_editor_publishing_an_article_under_review_is_recorded(contributor, chief):
    article = ArticleFactory(author=contributor.author, status=Article.Status.PENDING)

    save(client_for(chief), article, status="published")

    assert article.is_published()
    assert article.history.first().history_change_reason.startswith("Published after review")
    assert article.history.first().history_user == chief


def test_the_admin_index_counts_articles_awaiting_review_for_editors_only(contributor, chief):
    ArticleFactory.create_batch(2, author=contributor.author, status=Article.Status.PENDING)

    editor_page = client_for(chief).get(reverse("admin:index")).content.decode()
    contributor_page = client_for(contributor).get(reverse("admin:index")).content.decode()

    assert "2 articles are awaiting review" in editor_page
    assert "?status__exact=pending" in editor_page
    assert "awaiting review" not in contributor_page


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_submitting_mails_the_editors_through_the_task_worker(contributor, chief, mailoutbox, tasks_run_at_once):
    UserFactory(username="reader", email="reader@example.com")  # Not staff: not told.
    article = ArticleFactory(author=contributor.author, status=Article.Status.DRAFT, title="Phones in 2027")

    save(client_for(contributor), article, button="_submit_for_review")

    (message,) = mailoutbox
    assert message.to == [chief.email]
    assert message.subject == "Waiting for review: Phones in 2027"
    assert change_url(article) in message.body


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_saving_an_article_already_under_review_mails_nobody_again(contributor, chief, mailoutbox, tasks_run_at_once):
    article = ArticleFactory(author=contributor.author, status=Article.Status.PENDING)

    save(client_for(contributor), article, body="A second thought.")

    assert mailoutbox == []


def test_published_leaves_out_articles_under_review():
    ArticleFactory(status=Article.Status.PENDING)

    assert not Article.objects.published().exists()


@pytest.mark.parametrize("url", ["blog:feed", "blog:feed_atom", "blog:sitemap"])
def test_an_article_under_review_is_in_no_feed_or_sitemap(client, url):
    ArticleFactory(status=Article.Status.PENDING, title="Numbat review story", slug="numbat-review-story")

    body = client.get(reverse(url)).content.decode()

    assert "numbat" not in body.lower()


def test_search_does_not_find_an_article_under_review(client):
    ArticleFactory(status=Article.Status.PENDING, title="Numbat review story", body="Numbats everywhere.")

    body = client.get(reverse("blog:search"), {"q": "numbat"}).content.decode()

    assert "Numbat review story" not in body


def test_an_author_edits_their_own_profile_but_not_its_link_or_address():
    writer = staff_member("author", username="alison")
    profile = writer.author
    url = reverse("admin:authors_author_change", args=[profile.pk])
    data = {**form_data(client_for(writer).get(url)), "bio": "New.", "slug": "taken-over", "user": ""}

    client_for(writer).post(url, data)

    profile.refresh_from_db()
    assert (profile.bio, profile.slug, profile.user) == ("New.", "alison-writer", writer)


def test_an_author_cannot_open_or_change_another_authors_profile():
    writer = staff_member("author", username="alison")
    other = AuthorFactory(name="Guest Writer", bio="Kept.")
    client = client_for(writer)

    assert client.get(reverse("admin:authors_author_change", args=[other.pk])).status_code == 302
    client.post(reverse("admin:authors_author_change", args=[other.pk]), {"name": "Taken", "bio": "Taken."})

    other.refresh_from_db()
    assert other.bio == "Kept."
    assert [row.pk for row in client.get(reverse("admin:authors_author_changelist")).context["cl"].result_list] == [
        writer.author.pk
    ]


def test_a_guest_author_needs_no_account():
    guest = AuthorFactory(name="Guest Writer")

    assert guest.user is None
    assert ArticleFactory(author=guest).author.user is None


@pytest.mark.parametrize("role", ["contributor", "author", "editor", "administrator"])
def test_without_a_verified_second_factor_no_role_reaches_the_admin(settings, role):
    settings.ADMIN_REQUIRE_2FA = True
    user = staff_member(role)

    response = client_for(user).get(reverse("admin:blog_article_changelist"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_lockout_holds_for_a_contributor(client, settings):
    settings.ADMIN_REQUIRE_2FA = True
    user = staff_member("contributor")
    url = reverse("admin:login")
    for _ in range(settings.LOGIN_USERNAME_FAILURE_LIMIT):
        client.post(url, {"username": user.username, "password": "wrong", "otp_token": ""})

    response = client.post(url, {"username": user.username, "password": "a-long-test-password", "otp_token": ""})

    assert response.status_code == settings.AXES_HTTP_RESPONSE_CODE
    assert "_auth_user_id" not in client.session


def test_every_role_group_exists_for_the_admin_to_assign():
    assert set(Group.objects.values_list("name", flat=True)) >= {"Contributors", "Authors", "Editors", "Administrators"}


def test_a_contributor_previews_their_own_draft_on_the_site_but_not_anothers(contributor):
    own = ArticleFactory(author=contributor.author, status=Article.Status.DRAFT)
    other = ArticleFactory(status=Article.Status.PENDING)
    client = client_for(contributor)

    assert client.get(own.get_absolute_url()).status_code == 200
    assert client.get(other.get_absolute_url()).status_code == 404


def test_an_editor_previews_an_article_under_review_on_the_site(chief):
    article = ArticleFactory(status=Article.Status.PENDING)

    assert client_for(chief).get(article.get_absolute_url()).status_code == 200
