"""One rule for staff power outside the admin (staff.access.staff_may): previewing a draft and posting a comment that
skips moderation need the permission and, while two-factor sign-in is required, a session verified by it."""

import pytest
from django_comments_xtd.models import XtdComment
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from blog.models import Article
from tests.comment_factories import post_comment
from tests.factories import ArticleFactory, EditorFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _two_factor_required(settings, comments_publish_at_once):
    settings.ADMIN_REQUIRE_2FA = True
    settings.COMMENTS_HOLD_FIRST_COMMENT = True  # A reader's first comment waits: only staff power skips it.


def signed_in_with_password_alone(client, editor):
    """A session that passed the password, not the second factor (the state right after the password step)."""
    client.force_login(editor)
    return client


def verified(client, editor):
    """A session that passed both factors (django_otp records the device in the session)."""
    device = TOTPDevice.objects.create(user=editor, name="Authenticator app", confirmed=True)
    client.force_login(editor)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def draft():
    return ArticleFactory(status=Article.Status.DRAFT)


def test_a_password_alone_does_not_preview_a_draft(client, draft):
    signed_in_with_password_alone(client, EditorFactory())

    assert client.get(draft.get_absolute_url()).status_code == 404


def test_a_verified_session_previews_a_draft(client, draft):
    verified(client, EditorFactory())

    response = client.get(draft.get_absolute_url())

    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]


def test_without_required_two_factor_the_permission_is_enough(client, draft, settings):
    settings.ADMIN_REQUIRE_2FA = False
    signed_in_with_password_alone(client, EditorFactory())

    assert client.get(draft.get_absolute_url()).status_code == 200


def test_a_password_alone_does_not_skip_comment_moderation(client):
    article = ArticleFactory()
    signed_in_with_password_alone(client, EditorFactory())

    post_comment(client, article, comment="Posted from a stolen password.")

    assert XtdComment.objects.get().is_public is False


def test_a_verified_moderator_skips_comment_moderation(client):
    article = ArticleFactory()
    verified(client, EditorFactory())

    post_comment(client, article, comment="Posted by the editor.")

    assert XtdComment.objects.get().is_public is True


def test_a_non_staff_account_holding_the_permission_has_no_staff_power_while_two_factor_is_required(client, draft):
    not_staff = EditorFactory(is_staff=False)  # In the Editors group, but cannot enrol (only staff can).
    signed_in_with_password_alone(client, not_staff)

    assert client.get(draft.get_absolute_url()).status_code == 404
