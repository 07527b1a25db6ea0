"""The newsroom in a real browser, on the production-style server: a contributor writes and submits, an editor is
told and sends the article back with a note, the contributor fixes and resubmits, the editor publishes and readers
see it; an author publishes their own article and updates "Last Updated On". axe is clean on each role's pages."""

from contextlib import ExitStack

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from authors.models import Author
from blog.models import Article
from tests.e2e.conftest import browser_tab, screenshot
from tests.e2e.test_accessibility import violations
from tests.e2e.test_editor_journey import log_in
from tests.factories import AuthorFactory, UserFactory
from tests.tasks import run_queued_tasks

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TITLE = "Foldable phones reach Karachi"


def staff(username, group, *, author=None, author_name=None):
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    if author is not None:
        author.user = user
        author.save(update_fields=["user"])
    elif author_name:
        AuthorFactory(name=author_name, slug=username, user=user)
    return user


@pytest.fixture
def desk(browser):
    """Opens a staff member's own browser tab (their own cookies); fails the test on any console or page error."""
    with ExitStack() as tabs:
        yield lambda: tabs.enter_context(browser_tab(browser, height=1000))


def open_article(page, title):
    page.get_by_role("link", name="Articles", exact=True).first.click()
    page.get_by_role("link", name=title).click()


def test_a_contributors_article_goes_through_review_to_readers(site, desk, visitor, mailoutbox):
    staff("cora", "Contributors", author_name="Cora Reyes")
    chief = staff("chief", "Editors")
    writer, editor = desk(), desk()

    log_in(writer, site, "cora")
    writer.goto(site + reverse("admin:blog_article_add"))
    writer.get_by_label("Title").fill(TITLE)
    writer.get_by_label("Body").fill("Three models went on sale this week.")
    expect(writer.get_by_label("Status")).not_to_contain_text("Published")
    writer.get_by_role("button", name="Submit for review").first.click()
    expect(writer.locator(".messagelist")).to_contain_text("was added successfully")
    assert Article.objects.get(title=TITLE).status == Article.Status.PENDING

    run_queued_tasks()  # The task worker's turn: the editors' mail.
    (message,) = mailoutbox
    assert message.to == [chief.email]
    assert message.subject == f"Waiting for review: {TITLE}"

    log_in(editor, site, "chief")
    editor.get_by_role("link", name="1 article is awaiting review").click()
    editor.get_by_role("link", name=TITLE).click()
    editor.get_by_label("Note to the author").fill("Name the three models, please.")
    screenshot(editor, "admin-article-review")
    editor.get_by_role("button", name="Send back to the author").first.click()
    expect(editor.locator(".messagelist")).to_contain_text("was changed successfully")

    writer.goto(site + reverse("admin:index"))
    open_article(writer, TITLE)
    expect(writer.locator(".field-review_note")).to_contain_text("Name the three models, please.")
    screenshot(writer, "admin-article-sent-back")
    writer.get_by_label("Body").fill("The Fold, the Flip and the Wave went on sale this week.")
    writer.get_by_role("button", name="Submit for review").first.click()
    expect(writer.locator(".messagelist")).to_contain_text("was changed successfully")

    editor.goto(site + reverse("admin:index"))
    editor.get_by_role("link", name="1 article is awaiting review").click()
    editor.get_by_role("link", name=TITLE).click()
    editor.get_by_label("Status").select_option(label="Published")
    editor.get_by_role("button", name="Save", exact=True).first.click()
    expect(editor.locator(".messagelist")).to_contain_text("was changed successfully")

    article = Article.objects.get(title=TITLE)
    visitor.goto(site + article.get_absolute_url())
    expect(visitor.locator("h1")).to_have_text(TITLE)
    expect(visitor.locator("article")).to_contain_text("The Fold, the Flip and the Wave")
    reasons = list(
        article.history.order_by("history_id").values_list("history_user__username", "history_change_reason")
    )
    assert [who for who, _reason in reasons] == ["cora", "chief", "cora", "chief"]
    assert reasons[1][1].startswith("Sent back to the author: Name the three models")
    assert reasons[3][1].startswith("Published after review")


def test_an_author_publishes_their_own_article_and_updates_last_updated_on(site, desk, visitor):
    alison = Author.objects.get(slug="alison-johnson")
    staff("alison", "Authors", author=alison)
    writer = desk()

    log_in(writer, site, "alison")
    writer.goto(site + reverse("admin:blog_article_add"))
    writer.get_by_label("Title").fill(TITLE)
    writer.get_by_label("Body").fill("Three models went on sale this week.")
    writer.get_by_label("Status").select_option(label="Published")
    writer.get_by_role("button", name="Save", exact=True).first.click()
    expect(writer.locator(".messagelist")).to_contain_text("was added successfully")
    visitor.goto(site + Article.objects.get(title=TITLE).get_absolute_url())
    expect(visitor.locator(".byline")).to_contain_text("Alison Johnson")

    seed = Article.objects.exclude(title=TITLE).get()
    writer.goto(site + reverse("admin:blog_article_change", args=[seed.pk]))
    writer.get_by_label("Update: new “Last Updated On”, with a note").check()
    writer.get_by_label("Change note").fill("The PTA has lifted the ban.")
    writer.get_by_role("button", name="Save", exact=True).first.click()
    expect(writer.locator(".messagelist")).to_contain_text("was changed successfully")

    visitor.goto(site + seed.get_absolute_url())
    expect(visitor.locator(".updated")).to_have_text(f"(Last Updated On: {timezone.localdate():%d/%m/%Y})")


ROLE_ACCOUNTS = {
    "contributor": ("Contributors", "Cora Reyes"),
    "author": ("Authors", "Aidan Writer"),
    "editor": ("Editors", "Edna Editor"),
    "administrator": ("Administrators", "Ada Admin"),
}


@pytest.mark.parametrize("role", ROLE_ACCOUNTS)
def test_each_roles_admin_pages_have_no_moderate_or_worse_violations(site, axe_page, role):
    group, name = ROLE_ACCOUNTS[role]
    user = staff(role, group, author_name=name)
    draft = Article.objects.create(
        title="A draft sent back", slug="a-draft-sent-back", author=user.author, body="Text.", review_note="Shorter."
    )
    pending = Article.objects.create(
        title="Under review", slug="under-review", author=user.author, body="Text.", status=Article.Status.PENDING
    )
    log_in(axe_page, site, role)
    pages = [
        reverse("admin:index"),
        reverse("admin:blog_article_changelist"),
        reverse("admin:blog_article_add"),
        reverse("admin:blog_article_change", args=[draft.pk]),
        reverse("admin:blog_article_change", args=[pending.pk]),
        reverse("admin:authors_author_change", args=[user.author.pk]),
    ]

    found = []
    for path in pages:
        assert axe_page.goto(site + path).status == 200, path
        found += [f"{path}: {problem}" for problem in violations(axe_page)]

    assert found == [], "\n".join(found)
