"""The finished essay as a Word document (python-docx), with what python-docx lacks added
here: real footnotes (``word/footnotes.xml``, referenced from the text, with the separator
notes Word expects) and hyperlinks. Headings use Word's Heading styles, emphasis italic
runs, and bibliography entries a half-inch hanging indent.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Inches, Pt, RGBColor
from docx.text.paragraph import Paragraph

from exilebib.document.blocks import Block, Blocks, Span, xml_safe
from exilebib.document.compose import Composed
from exilebib.richtext import Mark

#: Separator and continuation separator: every footnotes part starts with them.
_FOOTNOTES_XML = (
    f"<w:footnotes {nsdecls('w', 'r')}>"
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0"/></w:pPr>'
    "<w:r><w:separator/></w:r></w:p></w:footnote>"
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0"/>'
    "</w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>"
    "</w:footnotes>"
)
#: The children of w:settings that come after w:footnotePr in the schema (CT_Settings).
_AFTER_FOOTNOTE_PR = (
    "w:endnotePr", "w:compat", "w:docVars", "w:rsids", "m:mathPr", "w:attachedSchema",
    "w:themeFontLang", "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions", "w:readModeInkLockDown",
    "w:smartTagType", "sl:schemaLibrary", "w:shapeDefaults", "w:doNotEmbedSmartTags",
    "w:decimalSymbol", "w:listSeparator",
)
_NOTE_SIZE = Pt(10)
#: Word's own colour for hyperlinks
_LINK_COLOUR = RGBColor(0x05, 0x63, 0xC1)
_HANGING = Inches(0.5)


class _Story:
    """What python-docx's Paragraph needs of its parent: the part that owns it."""

    def __init__(self, part: Part) -> None:
        self.part = part


def _mark_run(run: Any, marks: frozenset[Mark]) -> None:
    font = run.font
    if Mark.ITALIC in marks:
        font.italic = True
    if Mark.BOLD in marks:
        font.bold = True
    if Mark.SMALL_CAPS in marks:
        font.small_caps = True
    if Mark.UNDERLINE in marks:
        font.underline = True
    if Mark.SUPERSCRIPT in marks:
        font.superscript = True
    if Mark.SUBSCRIPT in marks:
        font.subscript = True


def _hyperlink(paragraph: Paragraph, part: Part, span: Span, size: Pt | None) -> None:
    """A ``w:hyperlink`` to an external relationship of ``part``, holding the span's run."""
    assert span.link is not None
    rel_id = part.relate_to(span.link, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = parse_xml(f'<w:hyperlink {nsdecls("w", "r")} r:id="{rel_id}" w:history="1"/>')
    paragraph._p.append(link)
    run = paragraph.add_run(span.text)
    _mark_run(run, span.marks)
    run.font.underline = True
    run.font.color.rgb = _LINK_COLOUR
    if size is not None:
        run.font.size = size
    link.append(run._r)


#: Word's built-in footnote styles (name, styleId): word processors lay out footnote numbers
#: by these styles, not by a run's own formatting (LibreOffice ignores a footnoteRef run's
#: superscript and prints the number full size without them).
NOTE_TEXT_STYLE = ("footnote text", "FootnoteText")
NOTE_REFERENCE_STYLE = ("footnote reference", "FootnoteReference")


def _add_note_styles(document: Any) -> None:
    styles = document.styles
    text = styles.add_style(NOTE_TEXT_STYLE[0], WD_STYLE_TYPE.PARAGRAPH)
    text.element.styleId = NOTE_TEXT_STYLE[1]
    text.base_style = styles["Normal"]
    text.font.size = _NOTE_SIZE
    text.paragraph_format.space_after = Pt(0)
    reference = styles.add_style(NOTE_REFERENCE_STYLE[0], WD_STYLE_TYPE.CHARACTER)
    reference.element.styleId = NOTE_REFERENCE_STYLE[1]
    reference.font.superscript = True


def _reference_run(paragraph: Paragraph) -> Any:
    """A run in the footnote reference style, superscript also as direct formatting."""
    run = paragraph.add_run()
    run._r.get_or_add_rPr().insert(
        0, parse_xml(f'<w:rStyle {nsdecls("w")} w:val="{NOTE_REFERENCE_STYLE[1]}"/>')
    )
    run.font.superscript = True
    return run


def _note_reference(paragraph: Paragraph, number: int) -> None:
    run = _reference_run(paragraph)
    run._r.append(parse_xml(f'<w:footnoteReference {nsdecls("w")} w:id="{number}"/>'))


def _fill(paragraph: Paragraph, part: Part, spans: Sequence[Span], size: Pt | None) -> None:
    """The spans as runs; ``size`` is given in a footnote, where a note mark is its number
    as superscript text (Word allows no footnote inside a footnote)."""
    for span in spans:
        if span.note is not None and size is not None:
            run = paragraph.add_run(str(span.note))
            run.font.superscript = True
            run.font.size = size
            continue
        if span.note is not None:
            _note_reference(paragraph, span.note)
            continue
        if span.link:
            _hyperlink(paragraph, part, span, size)
            continue
        run = paragraph.add_run(span.text)
        _mark_run(run, span.marks)
        if size is not None:
            run.font.size = size


def _write_block(paragraph: Paragraph, part: Part, block: Block, size: Pt | None = None) -> None:
    if block.kind == "entry":
        paragraph.paragraph_format.left_indent = _HANGING
        paragraph.paragraph_format.first_line_indent = -_HANGING
    if block.kind == "code":
        run = paragraph.add_run(block.spans[0].text)
        run.font.name = "Courier New"
        return
    _fill(paragraph, part, block.spans, size)


def _style_for(block: Block) -> str | None:
    if block.kind == "heading":
        return f"Heading {min(block.level, 9)}"
    if block.kind == "item":
        return "List Bullet"
    if block.kind == "quote":
        return "Quote"
    return None


def _footnotes_part(document: Any, notes: dict[int, list[Block]]) -> None:
    package = document.part.package
    element = parse_xml(_FOOTNOTES_XML)
    part = XmlPart(PackURI("/word/footnotes.xml"), CONTENT_TYPE.WML_FOOTNOTES, element, package)
    document.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)
    story = _Story(part)
    for number in sorted(notes):
        note: BaseOxmlElement = parse_xml(f'<w:footnote {nsdecls("w")} w:id="{number}"/>')
        element.append(note)
        for index, block in enumerate(notes[number] or [Block("paragraph", ())]):
            p = parse_xml(f"<w:p {nsdecls('w')}/>")
            note.append(p)
            paragraph = Paragraph(p, story)  # type: ignore[arg-type]
            paragraph._p.get_or_add_pPr().insert(
                0, parse_xml(f'<w:pStyle {nsdecls("w")} w:val="{NOTE_TEXT_STYLE[1]}"/>')
            )
            paragraph.paragraph_format.space_after = Pt(0)
            if index == 0:
                mark = _reference_run(paragraph)
                mark.font.size = _NOTE_SIZE
                mark._r.append(parse_xml(f"<w:footnoteRef {nsdecls('w')}/>"))
                paragraph.add_run(" ").font.size = _NOTE_SIZE
            _write_block(paragraph, part, block, _NOTE_SIZE)
    settings = document.settings.element
    if settings.find(qn("w:footnotePr")) is None:
        # Word finds the separators through the settings; its schema fixes the order of
        # the settings' children, so footnotePr goes before the first that must follow it
        footnote_pr = parse_xml(
            f'<w:footnotePr {nsdecls("w")}><w:footnote w:id="-1"/><w:footnote w:id="0"/>'
            "</w:footnotePr>"
        )
        following = [settings.find(qn(name)) for name in _AFTER_FOOTNOTE_PR]
        anchor = next((child for child in following if child is not None), None)
        if anchor is not None:
            anchor.addprevious(footnote_pr)
        else:
            settings.append(footnote_pr)


def write(doc: Composed, blocks: Blocks, title: str | None) -> bytes:
    document = Document()
    document.core_properties.title = xml_safe(title or "")
    document.core_properties.language = doc.essay.front.lang or doc.style.locale
    if doc.title:
        document.add_paragraph(xml_safe(doc.title), style="Title")
    part = document.part
    for block in blocks.body:
        paragraph = document.add_paragraph(style=_style_for(block))
        _write_block(paragraph, part, block)
    if blocks.footnotes:
        _add_note_styles(document)
        _footnotes_part(document, blocks.footnotes)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
