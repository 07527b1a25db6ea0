import re

from django.db import models
from django.utils.translation import gettext_lazy as _


class BlockedWordQuerySet(models.QuerySet):
    def pattern(self):
        """One case-insensitive regex matching any blocked word as a whole word, or None."""
        words = [re.escape(word) for word in self.values_list("word", flat=True)]
        return re.compile(r"\b(?:" + "|".join(words) + r")\b", re.IGNORECASE) if words else None


class BlockedWord(models.Model):
    """A word or phrase that sends a comment to the moderation queue (checked in text, name, email and website)."""

    word = models.CharField(_("word or phrase"), max_length=100, unique=True)
    created = models.DateTimeField(_("added"), auto_now_add=True)

    objects = BlockedWordQuerySet.as_manager()

    class Meta:
        ordering = ["word"]
        verbose_name = _("blocked word")
        verbose_name_plural = _("blocked words")

    def __str__(self):
        return self.word


class PostingCounter(models.Model):
    """How many comments one client (IP or email) sent in one time window; shared by every worker."""

    key = models.CharField(max_length=300)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window_start"], name="posting_counter_key_window")]
        indexes = [models.Index(fields=["window_start"], name="posting_counter_window_idx")]

    def __str__(self):
        return f"{self.key} @ {self.window_start:%H:%M}: {self.count}"


class UsedConfirmation(models.Model):
    """A confirmation link that has confirmed its comment: each link works once (comments.services.confirm_comment).

    Kept as long as the link could still be valid (CONFIRM_MAX_AGE); `manage.py prune_security_records` clears older.
    """

    nonce = models.CharField(max_length=64, unique=True)
    comment = models.ForeignKey(
        "django_comments_xtd.XtdComment", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    used_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return f"{self.nonce} @ {self.used_at:%Y-%m-%d %H:%M}"


class DigestedComment(models.Model):
    """A held comment that a digest to the editors has listed (comments.notifications.send_held_digest).

    One row per comment (its primary key), written in the digest's transaction: a comment is listed once, and one
    whose transaction committed late, or that was submitted before the last digest and confirmed after it, is
    listed by the next digest rather than skipped."""

    comment = models.OneToOneField(
        "django_comments_xtd.XtdComment", models.CASCADE, primary_key=True, related_name="digested"
    )
    listed_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"comment {self.comment_id} @ {self.listed_at:%Y-%m-%d %H:%M}"
