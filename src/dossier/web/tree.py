"""A thread's flat, tree-ordered message list (``parent_id`` per message) as nested nodes."""

from __future__ import annotations


def nest(messages: list[dict], *, current: int | None) -> list[dict]:
    """Roots with their ``children``, in the order given; ``current`` marks the open message.

    A message whose parent is not in the list (not visible to this reader, or never received)
    becomes a root, so nothing is lost and nothing hidden is revealed.
    """
    nodes = {
        m["id"]: {"message": m, "children": [], "current": m["id"] == current} for m in messages
    }
    roots = []
    for m in messages:
        parent = nodes.get(m.get("parent_id"))
        if parent is not None and parent is not nodes[m["id"]]:
            parent["children"].append(nodes[m["id"]])
        else:
            roots.append(nodes[m["id"]])
    return roots
