"""CSL-JSON: the items exilebib hands to the CSL engine, for Zotero, pandoc or citeproc-js.

The bibliography's items are written in the order they are rendered; a citation writes
the items it cites.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from exilebib.render import Rendering


def items_json(items: object) -> str:
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def bibliography(rendering: Rendering) -> str:
    by_id = {item["id"]: item for item in rendering.items}
    ordered = [by_id[entry.key] for entry in rendering.entries]
    rendered = {entry.key for entry in rendering.entries}
    ordered += [item for item in rendering.items if item["id"] not in rendered]
    return items_json(ordered)


def fragment(html_fragment: str) -> str:
    # A citation's CSL-JSON is its items, which the CLI writes with items_json.
    return html_fragment


def paragraphs(html_fragments: Sequence[str]) -> str:
    return items_json(list(html_fragments))
