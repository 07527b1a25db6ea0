"""Where each imported comment hangs: WordPress's threads fitted to the site's reply depth."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Threading:
    parents: dict[int, int | None]  # imported comment id → the imported comment it replies to, None at the top
    rehung_deep: list[int] = field(default_factory=list)  # replies moved up to fit the reply depth
    rehung_orphans: list[int] = field(default_factory=list)  # replies whose own parent is not imported


def attach_replies(comments, *, max_depth: int, keep: Callable[[object], bool] = lambda comment: True) -> Threading:
    """Fit an item's WordPress comments (anything with ``id`` and ``parent``) into threads at most ``max_depth`` deep.

    ``comments`` are all of the item's comments in the file; ``keep`` says which are imported, and
    those are placed in the order given (oldest first). A top-level comment is at depth 1.

    - A reply deeper than ``max_depth`` hangs under its deepest allowed ancestor, so it still follows
      the conversation it answered.
    - A reply whose parent is not imported (trashed, spam, or missing from the file) hangs under that
      parent's nearest imported ancestor, else at the top.
    - A reply listed before its parent, or a parent chain that loops, goes to the top.
    """
    if max_depth < 1:
        raise ValueError("max_depth must be at least 1")
    written_parent = {comment.id: comment.parent or None for comment in comments}
    imported = [comment for comment in comments if keep(comment)]
    imported_ids = {comment.id for comment in imported}
    threading = Threading(parents={})
    depth = {}
    for comment in imported:
        parent = written_parent[comment.id]
        seen = {comment.id}
        while parent is not None and parent not in imported_ids and parent not in seen:
            seen.add(parent)
            parent = written_parent.get(parent)
        if parent is not None and parent not in depth:
            parent = None  # not imported, listed after this reply, or a loop
        if parent != written_parent[comment.id]:
            threading.rehung_orphans.append(comment.id)
        if parent is not None and depth[parent] >= max_depth:
            while parent is not None and depth[parent] >= max_depth:
                parent = threading.parents[parent]
            threading.rehung_deep.append(comment.id)
        threading.parents[comment.id] = parent
        depth[comment.id] = 1 if parent is None else depth[parent] + 1
    return threading
