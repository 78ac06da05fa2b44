"""Each output format serialises the same runs: exact strings for a known fragment."""

from __future__ import annotations

from exilebib.formats import html, markdown, rtf, text
from exilebib.richtext import Mark, Run, parse_html

FRAGMENT = (
    "Trotsky, L. <i>My Life</i>. Grosset &amp; Dunlap, 1960. "
    "https://x.org/a_b%20c."
)


def test_richtext_runs() -> None:
    assert parse_html("a <i>b <span style=\"font-style:normal;\">c</span></i> <b>d</b>") == (
        Run("a ", frozenset()),
        Run("b ", frozenset({Mark.ITALIC})),
        Run("c ", frozenset()),
        Run("d", frozenset({Mark.BOLD})),
    )


def test_text() -> None:
    assert text.fragment(FRAGMENT) == (
        "Trotsky, L. My Life. Grosset & Dunlap, 1960. https://x.org/a_b%20c."
    )


def test_html_is_the_engine_markup_with_urls_as_links() -> None:
    assert html.fragment(FRAGMENT) == FRAGMENT.replace(
        "https://x.org/a_b%20c", '<a href="https://x.org/a_b%20c">https://x.org/a_b%20c</a>'
    )


def test_markdown_escapes_and_autolinks() -> None:
    assert markdown.fragment(FRAGMENT) == (
        "Trotsky, L. *My Life*. Grosset & Dunlap, 1960. <https://x.org/a_b%20c>."
    )
    assert markdown.fragment("a_b *c* <sup>2</sup>") == "a\\_b \\*c\\* <sup>2</sup>"


def test_markdown_keeps_spaces_outside_emphasis() -> None:
    assert markdown.fragment("<i>Title </i>x") == "*Title* x"


def test_markdown_emphasis_spans_the_runs_inside_it() -> None:
    # one italic span around a superscript, not "*The* *<sup>14</sup>**C*"
    assert markdown.fragment("<i>The <sup>14</sup>C Decay</i>. J.") == (
        "*The <sup>14</sup>C Decay*. J."
    )
    assert markdown.fragment("<b>bold <i>both</i></b> x") == "**bold** ***both*** x"


def test_rtf_styles_and_unicode() -> None:
    assert rtf.fragment("<i>Éclair</i> – {x}") == r"{\i \u201?clair} \u8211? \{x\}"


def test_rtf_astral_characters_use_surrogate_pairs() -> None:
    assert rtf.fragment("𝔄") == r"\u-10187?\u-8956?"


def test_display_blocks_in_plain_text_markdown_and_rtf() -> None:
    from exilebib.formats import markdown, rtf
    from exilebib.richtext import plain

    numbered = (
        '<div class="csl-left-margin">[1]</div><div class="csl-right-inline">'
        "L. Trotsky, <i>My Life</i>. Scribner, 1930.</div>"
    )
    assert plain(numbered) == "[1] L. Trotsky, My Life. Scribner, 1930."
    assert markdown.fragment(numbered) == "\\[1\\] L. Trotsky, *My Life*. Scribner, 1930."
    assert rtf.fragment(numbered) == "[1] L. Trotsky, {\\i My Life}. Scribner, 1930."
    heading = (
        '<div class="csl-block">Leon Trotsky</div>\n\n    <div class="csl-left-margin">1930'
        '</div><div class="csl-right-inline"><i>My Life</i>.</div>'
    )
    assert plain(heading) == "Leon Trotsky\n1930 My Life."
