"""Readable change summaries on an article's or page's History: a word-level diff for text (difflib).

django-simple-history shows a change as "old → new", each cut to 100 characters ("It wa[746 chars]vers…"),
which says nothing about a body where one sentence changed. For text, the History shows instead the words
removed (<del>) and added (<ins>) with a few words of context around them; long unchanged runs are elided.
"""

import datetime
import difflib
import re

from django.db import models
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from simple_history.template_utils import HistoricalRecordContextHelper

from .dates import admin_date

TOKENS = re.compile(r"\s+|[^\s]+")
CONTEXT_WORDS = 8
SKIPPED = '<span class="diff-skip" title="unchanged text left out">…</span>'


def word_diff(old, new, context=CONTEXT_WORDS):
    """HTML (escaped) of the words removed from `old` and added in `new`, with `context` words around each change."""
    before, after = TOKENS.findall(old or ""), TOKENS.findall(new or "")
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    opcodes = matcher.get_opcodes()
    keep = 2 * context  # Tokens alternate words and spaces.
    parts = []
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            same = before[i1:i2]
            first, last = index == 0, index == len(opcodes) - 1
            head = [] if first else same[:keep]
            tail = [] if last else same[-keep:]
            if len(same) > len(head) + len(tail):
                parts.append(escape("".join(head)) + SKIPPED + escape("".join(tail)))
            else:
                parts.append(escape("".join(same)))
            continue
        if i2 > i1:
            parts.append(format_html("<del>{}</del>", "".join(before[i1:i2])))
        if j2 > j1:
            parts.append(format_html("<ins>{}</ins>", "".join(after[j1:j2])))
    return mark_safe("".join(parts))  # noqa: S308 (every piece escaped above)


class DiffContextHelper(HistoricalRecordContextHelper):
    """Each text field's change as a word diff (`diff`); other fields keep simple-history's old → new, dates in
    the admin's format on the site's calendar (not "2016-08-04 21:30:00+00:00")."""

    def prepare_delta_change_value(self, change, value):
        if isinstance(value, datetime.date):
            return admin_date(value)
        return super().prepare_delta_change_value(change, value)

    def context_for_delta_changes(self, delta):
        context = super().context_for_delta_changes(delta)
        for entry, change in zip(context, delta.changes, strict=True):
            field = self.model._meta.get_field(change.field)
            if isinstance(field, (models.CharField, models.TextField)) and not field.choices:
                entry["diff"] = word_diff(change.old, change.new)
        return context


class ReadableHistoryMixin:
    """For a SimpleHistoryAdmin: History shows word diffs for text fields."""

    def get_historical_record_context_helper(self, request, historical_record):
        return DiffContextHelper(self.model, historical_record)
