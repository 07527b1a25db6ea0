"""Outgoing mail, sent by the task worker (`manage.py worker`) once the transaction that asked for it commits.

A request only queues the mail (a row in PostgreSQL, django-tasks' database backend), so a slow or unreachable
SMTP server never slows down or fails it. django-tasks has no retries of its own: a mail the server refuses for
the moment (a 4xx answer, no connection) is queued again with `run_after`, MAIL_RETRY_BASE_SECONDS × 4^(n - 1)
after attempt n, up to MAIL_MAX_ATTEMPTS attempts. A mail that fails for good (a 5xx answer, or the last
attempt) is logged with the comment it is about, and the task is marked failed.
"""

import datetime
import logging
import smtplib
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)


class MailNotSent(Exception):
    """The mail could not be delivered and will not be tried again."""


def is_temporary(error: Exception) -> bool:
    """Whether sending again later may work: the server did not answer, or answered with a 4xx code."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return any(400 <= code < 500 for code, _message in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    return True  # Disconnected, connection refused, timed out.


def retry_delay(attempt: int) -> datetime.timedelta:
    """How long to wait after failed attempt number `attempt` (1, 4, 16, 64… minutes by default)."""
    return datetime.timedelta(seconds=settings.MAIL_RETRY_BASE_SECONDS * 4 ** (attempt - 1))


def describe(kind: str, comment_id: int | None, article_id: int | None) -> str:
    return f"{kind} for comment {comment_id}" if comment_id is not None else f"{kind} for article {article_id}"


@task()
def send_email(
    *,
    subject: str,
    body: str,
    to: list[str],
    from_email: str | None = None,
    kind: str,
    comment_id: int | None = None,
    article_id: int | None = None,
    attempt: int = 1,
) -> str:
    """Send one mail; on a temporary failure, queue the next attempt. `kind` and the ids are for the logs."""
    about = describe(kind, comment_id, article_id)
    try:
        EmailMessage(subject, body, from_email, to).send()
    except (smtplib.SMTPException, OSError) as error:
        if is_temporary(error) and attempt < settings.MAIL_MAX_ATTEMPTS:
            delay = retry_delay(attempt)
            send_email.using(run_after=timezone.now() + delay).enqueue(
                subject=subject,
                body=body,
                to=to,
                from_email=from_email,
                kind=kind,
                comment_id=comment_id,
                article_id=article_id,
                attempt=attempt + 1,
            )
            logger.warning(
                "Mail %s not sent (attempt %d of %d): %s. Trying again in %d s.",
                about,
                attempt,
                settings.MAIL_MAX_ATTEMPTS,
                error,
                delay.total_seconds(),
            )
            return "retrying"
        logger.error("Mail %s failed for good after %d attempt(s): %s", about, attempt, error)
        raise MailNotSent(about) from error
    logger.info("Mail %s sent (attempt %d).", about, attempt)
    return "sent"


def send_email_on_commit(**message) -> None:
    """Queue `send_email(**message)` when the current transaction commits (at once outside one).

    robust: a failure to queue is logged and never fails the request that asked for the mail.
    """
    transaction.on_commit(partial(send_email.enqueue, **message), robust=True)
