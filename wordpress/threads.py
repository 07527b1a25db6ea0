"""Where each imported comment hangs: WordPress's threads fitted to the site's reply depth, in WordPress's order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Threading:
    parents: dict[int, int | None]  # imported comment id → the imported comment it replies to, None at the top
    rehung_deep: list[int] = field(default_factory=list)  # replies moved up to fit the reply depth
    rehung_orphans: list[int] = field(default_factory=list)  # replies whose own parent is not imported
    order: list[int] = field(default_factory=list)  # the imported comments, parents before their replies


def attach_replies(
    comments,
    *,
    max_depth: int,
    keep: Callable[[object], bool] = lambda comment: True,
    key: Callable[[object], object] | None = None,
) -> Threading:
    """Fit an item's WordPress comments (anything with ``id`` and ``parent``) into threads at most ``max_depth`` deep.

    ``comments`` are all of the item's comments in the file, in any order (WordPress's exporter writes them in
    none in particular); ``keep`` says which are imported; ``key`` sorts them as WordPress shows them (the
    importer gives the GMT date, then the id), else the file's order stands. ``Threading.order`` lists them in
    that order with every parent before its replies. A top-level comment is at depth 1.

    - A reply deeper than ``max_depth`` hangs under its deepest allowed ancestor, so it still follows
      the conversation it answered.
    - A reply whose parent is not imported (trashed, spam, or missing from the file) hangs under that
      parent's nearest imported ancestor, else at the top.
    - A reply listed before its parent still hangs under it. In a parent chain that loops, the comment that
      comes first goes to the top.
    """
    if max_depth < 1:
        raise ValueError("max_depth must be at least 1")
    written_parent = {comment.id: comment.parent or None for comment in comments}
    imported = [comment for comment in comments if keep(comment)]
    if key is not None:
        imported.sort(key=key)
    fitter = _Fitter(written_parent, [comment.id for comment in imported], max_depth)
    for comment in imported:
        if comment.id in fitter.depth:  # Placed already, as the parent of a reply listed before it.
            continue
        for comment_id in reversed(fitter.unplaced_chain(comment.id)):
            fitter.place(comment_id)
    return fitter.threading


class _Fitter:
    """Places the imported comments (ids, in order) one by one, each parent before its replies."""

    def __init__(self, written_parent, imported, max_depth):
        self.written_parent = written_parent  # every comment in the file → the comment it replies to, or None
        self.position = {comment_id: index for index, comment_id in enumerate(imported)}
        self.max_depth = max_depth
        self.cut = set()  # comments put at the top to break a loop
        self.depth = {}  # placed comment → its depth
        self.threading = Threading(parents={})

    def nearest_imported(self, comment_id):
        if comment_id in self.cut:
            return None
        parent, seen = self.written_parent[comment_id], {comment_id}
        while parent is not None and parent not in self.position and parent not in seen:
            seen.add(parent)
            parent = self.written_parent.get(parent)
        return None if parent in seen else parent

    def unplaced_chain(self, comment_id):
        """The comment and its unplaced ancestors, nearest first; a loop among them is cut at its first comment."""
        chain = [comment_id]
        while (parent := self.nearest_imported(chain[-1])) is not None and parent not in self.depth:
            if parent in chain:
                loop = chain[chain.index(parent) :]
                self.cut.add(min(loop, key=self.position.__getitem__))
                chain = [comment_id]
                continue
            chain.append(parent)
        return chain

    def place(self, comment_id):
        threading = self.threading
        parent = self.nearest_imported(comment_id)
        if parent != self.written_parent[comment_id]:
            threading.rehung_orphans.append(comment_id)
        if parent is not None and self.depth[parent] >= self.max_depth:
            while parent is not None and self.depth[parent] >= self.max_depth:
                parent = threading.parents[parent]
            threading.rehung_deep.append(comment_id)
        threading.parents[comment_id] = parent
        self.depth[comment_id] = 1 if parent is None else self.depth[parent] + 1
        threading.order.append(comment_id)
