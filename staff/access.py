"""The one rule for staff power outside the admin (previewing drafts, posting comments that skip moderation, and
any other view that checks a staff permission): the permission, and, while two-factor sign-in is required
(ADMIN_REQUIRE_2FA), a session verified by a second factor. A password alone opens nothing, here as in the admin
(config.admin.BlogAdminSite.has_permission)."""

from django.conf import settings

from config.pagecache import has_session


def is_verified(user):
    """Whether the session of `user` (request.user, as django_otp's middleware sets it) passed a second factor."""
    verified = getattr(user, "is_verified", None)
    return bool(verified and verified())


def staff_may(request, perm: str) -> bool:
    """Whether the request may use the staff permission `perm` outside the admin.

    Only with a session (an anonymous reader's public page never looks at the user). While two-factor is required,
    whoever holds the permission needs a verified session, staff or not (only staff can enrol, so a non-staff
    account holding a staff permission has none of its power)."""
    if request is None or not has_session(request):
        return False
    user = request.user
    if not (user.is_authenticated and user.is_active and user.has_perm(perm)):
        return False
    return not settings.ADMIN_REQUIRE_2FA or is_verified(user)
