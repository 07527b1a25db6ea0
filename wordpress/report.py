"""The import's report: what came across, what did not and why, in the words the command prints."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

PLURALS = {"category": "categories", "attachment": "attachments"}


@dataclass
class Report:
    counts: Counter = field(default_factory=Counter)  # ("post", "created") → n
    comments: Counter = field(default_factory=Counter)  # "public", "held", "spam", "pingback stored"…
    redirects: int = 0
    media_fetched: int = 0
    media_missing: list[str] = field(default_factory=list)
    shortcodes: Counter = field(default_factory=Counter)  # a plugin's shortcodes, hidden from readers
    media_links: int = 0
    players: int = 0
    embeds: int = 0
    missing_blocks: list[int] = field(default_factory=list)
    skipped: list[tuple[str, str, str]] = field(default_factory=list)  # kind, what, reason
    conflicts: list[str] = field(default_factory=list)
    editor_changed: list[str] = field(default_factory=list)
    authors_without_bio: list[str] = field(default_factory=list)
    rehung_deep: int = 0
    rehung_orphans: int = 0
    page_comments: list[tuple[str, Counter]] = field(default_factory=list)  # (page, comments by status)
    unmapped_links: set[str] = field(default_factory=set)
    protected: list[str] = field(default_factory=list)  # password-protected posts and pages, kept as drafts
    private: list[str] = field(default_factory=list)
    dry_run: bool = False

    def count(self, kind, outcome, number=1):
        self.counts[(kind, outcome)] += number

    def skip(self, kind, what, reason):
        self.skipped.append((kind, what, reason))
        self.count(kind, "skipped")

    def lines(self):
        yield "Dry run: nothing was changed." if self.dry_run else "Import finished."
        for section in (
            self._imported_lines,
            self._media_lines,
            self._content_lines,
            self._draft_lines,
            self._page_comment_lines,
            self._attention_lines,
        ):
            yield from section()

    def _imported_lines(self):
        for kind in dict.fromkeys(kind for kind, _ in self.counts):
            outcomes = ", ".join(f"{outcome} {n}" for (k, outcome), n in sorted(self.counts.items()) if k == kind)
            yield f"  {PLURALS.get(kind, kind + 's')}: {outcomes}"
        if self.comments:
            yield "  comments by status: " + ", ".join(f"{status} {n}" for status, n in sorted(self.comments.items()))
        if self.rehung_deep or self.rehung_orphans:
            yield (
                f"  replies moved to fit the reply depth: {self.rehung_deep}; "
                f"replies whose parent was not imported: {self.rehung_orphans}"
            )
        yield f"  redirects made: {self.redirects}"

    def _media_lines(self):
        fetched = "to fetch (not fetched in a dry run)" if self.dry_run else "fetched"
        yield f"  media {fetched}: {self.media_fetched}, missing: {len(self.media_missing)}"
        for missing in self.media_missing:
            yield f"    missing: {missing}"

    def _content_lines(self):
        """What the posts' bodies held that readers see differently here."""
        if self.shortcodes:
            yield "  shortcodes hidden from readers (a plugin's; its output is not in the export): " + ", ".join(
                f"[{name}] ×{n}" for name, n in self.shortcodes.most_common()
            )
        if self.embeds:
            yield f"  embeds shown as links with their titles: {self.embeds}"
        if self.players:
            yield f"  audio and video shown as players of the fetched files: {self.players}"
        if self.media_links:
            yield f"  audio and video shown as links to their files on the old site (not fetched): {self.media_links}"
        if self.missing_blocks:
            yield "  reusable blocks not in the export (left out): " + ", ".join(map(str, self.missing_blocks))

    def _draft_lines(self):
        if self.protected:
            yield (
                f"  password-protected, imported as drafts: {len(self.protected)} "
                "(their text is not public; publish each once it may be read by all)"
            )
            for label in self.protected:
                yield f"    {label}"
        if self.private:
            yield f"  private, imported as drafts: {len(self.private)}"
            for label in self.private:
                yield f"    {label}"

    def _page_comment_lines(self):
        if not self.page_comments:
            return
        total = sum(sum(counts.values()) for _, counts in self.page_comments)
        yield (
            f"  comments on pages NOT imported: {total} (pages here take no comments; they stay in the export "
            "and on the old site)"
        )
        for label, counts in self.page_comments:
            statuses = ", ".join(f"{status} {n}" for status, n in sorted(counts.items()))
            yield f"    {label}: {statuses}"

    def _attention_lines(self):
        """What an editor may want to look at: conflicts, kept changes, missing bios and links, skipped items."""
        for line in self.conflicts:
            yield f"  conflict: {line}"
        for line in self.editor_changed:
            yield f"  left as the editor made it: {line}"
        if self.authors_without_bio:
            yield "  authors without a bio (give one with --author-map): " + ", ".join(self.authors_without_bio)
        if self.unmapped_links:
            yield f"  links to the old site with no imported target: {len(self.unmapped_links)}"
        for _kind, what, reason in self.skipped:
            yield f"  skipped: {what}: {reason}"
