"""CSL 1.0.2 cite grouping and collapsing (filled in by the collapse rule)."""

from __future__ import annotations

from typing import Any


def render_cites(layout: Any, cites: list[Any]) -> list[Any]:
    from exilebib.engine.rules.citation_layout import render_cite

    out = []
    for cite in cites:
        text = render_cite(layout, cite)
        if text is not None:
            out.append(text)
    return out
