"""HTML: each section an ``<h2>`` and a ``csl-bib-body`` list, as CSL processors mark it up.

URLs in the entries become links (``<a href>``), as they are autolinks in Markdown and
HYPERLINK fields in RTF. ``--standalone`` wraps the fragment in a document with the
locale as its ``lang`` and a small style sheet: hanging indents, space between entries,
and long URLs that wrap instead of running off the page.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

from exilebib.formats.urls import URL
from exilebib.render import Rendering

#: The engine's HTML splits into tags and text; only text is searched for URLs.
_TAG = re.compile(r"(<[^>]*>)")
#: An opening or closing ``<a>`` tag: text inside a link already is one.
_LINK_TAG = re.compile(r"<(/?)a[\s>]", re.IGNORECASE)

#: The standalone document's style sheet. Entries hang (the first line at the margin, the
#: rest indented), as bibliographies are printed; ``overflow-wrap: anywhere`` lets a URL
#: of a hundred percent-escapes break at any character rather than widen the page.
STYLESHEET = """\
body { max-width: 42em; margin: 2em auto; padding: 0 1em; line-height: 1.5;
       font-family: Georgia, "Times New Roman", serif; }
h2 { font-size: 1.25em; margin: 1.5em 0 0.5em; }
.csl-entry { padding-left: 2em; text-indent: -2em; margin: 0 0 0.75em;
             overflow-wrap: anywhere; }
a { color: inherit; }
"""


def _linked(html_fragment: str) -> str:
    """``html_fragment`` with each URL in its text wrapped in ``<a href>``. The text is
    already escaped (``&amp;``), which is also how an attribute value must be written."""
    parts = _TAG.split(html_fragment)
    inside_link = False
    for index, part in enumerate(parts):
        if index % 2:  # a tag
            link_tag = _LINK_TAG.match(part)
            if link_tag:
                inside_link = not link_tag.group(1)
            continue
        if not inside_link:
            parts[index] = URL.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', part)
    return "".join(parts)


def fragment(html_fragment: str) -> str:
    return _linked(html_fragment)


def bibliography(rendering: Rendering) -> str:
    parts = []
    for section in rendering.sections:
        if section.title:
            parts.append(f"<h2>{escape(section.title)}</h2>")
        parts.append('<div class="csl-bib-body">')
        parts.extend(
            f'  <div class="csl-entry">{_linked(entry.html)}</div>' for entry in section.entries
        )
        parts.append("</div>")
    return "\n".join(parts) + "\n"


def paragraphs(html_fragments: Sequence[str]) -> str:
    return "".join(f"<p>{_linked(f)}</p>\n" for f in html_fragments)


def standalone(body: str, title: str, lang: str) -> str:
    """``body`` as a whole HTML5 document that declares its encoding and language (the
    locale the bibliography was rendered in, a BCP 47 tag such as ``en-GB``)."""
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>\n{STYLESHEET}</style>\n</head>\n"
        f"<body>\n{body}</body>\n</html>\n"
    )
