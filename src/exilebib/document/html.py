"""The finished essay as a standalone HTML page: its language, encoding and title, linked
footnotes (markdown-it's footnote markup), and the bibliography with a hanging indent."""

from __future__ import annotations

from html import escape

from exilebib.document.blocks import drop_heading_attributes, parser, xml_safe
from exilebib.document.compose import Composed
from exilebib.document.markdown import MarkdownEssay

#: The page's only style: the bibliography's hanging indent, as pandoc's default.
_STYLE = (
    "body { max-width: 40em; margin: 2em auto; padding: 0 1em; line-height: 1.5; }\n"
    ".csl-entry { margin-left: 2em; text-indent: -2em; }\n"
)


def page_title(doc: Composed) -> str:
    """The front matter's title, else the first heading, else the file's name."""
    if doc.title:
        return doc.title
    if doc.essay.headings:
        return doc.essay.headings[0].text
    return doc.essay.path.rsplit("/", 1)[-1]


def write(doc: Composed, essay: MarkdownEssay) -> str:
    md = parser()
    tokens = md.parse(xml_safe(essay.text))  # HTML forbids C0 controls too
    drop_heading_attributes(tokens)
    bib_start, bib_end = essay.bibliography_lines
    for token in tokens:
        if token.type == "paragraph_open" and token.map and bib_start <= token.map[0] < bib_end:
            token.attrSet("class", "csl-entry")
    body = md.renderer.render(tokens, md.options, {})
    lang = doc.essay.front.lang or doc.style.locale
    header = f'<h1 class="title">{escape(xml_safe(doc.title))}</h1>\n' if doc.title else ""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(xml_safe(page_title(doc)))}</title>\n<style>\n{_STYLE}</style>\n</head>\n"
        f"<body>\n{header}{body}</body>\n</html>\n"
    )
