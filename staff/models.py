from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PasswordVerdict(models.Model):
    """Whether an account's current password is one anyone would guess first (staff.passwords).

    Kept per stored password hash, so that a server start checks each staff password once, not on every start:
    a hash check takes about half a second, and each account is tried against a few dozen guesses."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True)
    password_digest = models.CharField(_("digest of the stored password hash"), max_length=64)
    weak = models.BooleanField(_("weak"))
    checked_at = models.DateTimeField(_("checked at"), auto_now=True)

    class Meta:
        verbose_name = _("password verdict")
        verbose_name_plural = _("password verdicts")

    def __str__(self):
        return f"{self.user_id}: {'weak' if self.weak else 'strong'}"
