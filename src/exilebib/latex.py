"""LaTeX in BibTeX values → Unicode text with CSL-JSON's rich-text markup.

CSL-JSON strings may carry a small HTML subset that CSL processors understand: ``<i>``,
``<b>``, ``<sup>``, ``<sub>``, ``<span style="font-variant:small-caps;">`` and
``<span class="nocase">`` (text that a style's text-case must not change). BibTeX's
``{...}`` groups are exactly that case protection, so they become ``nocase`` spans.

This is a small, table-driven converter rather than pylatexenc: it is applied to every
field of every entry on the render path, where pylatexenc costs about 3.6 ms an entry
(36 s for 10,000 entries, measured in the research notes), and it must keep braces as
case protection, which pylatexenc's text mode throws away.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

#: Accent commands → the Unicode combining character they put on their argument.
ACCENTS: Mapping[str, str] = {
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    '"': "\u0308",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "c": "\u0327",
    "d": "\u0323",
    "b": "\u0331",
    "k": "\u0328",
    "r": "\u030a",
    "t": "\u0361",
}

#: Commands that stand for one character or symbol.
SYMBOLS: Mapping[str, str] = {
    "ss": "ß",
    "o": "ø",
    "O": "Ø",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "aa": "å",
    "AA": "Å",
    "l": "ł",
    "L": "Ł",
    "i": "ı",
    "j": "ȷ",
    "dh": "ð",
    "DH": "Ð",
    "th": "þ",
    "TH": "Þ",
    "ng": "ŋ",
    "NG": "Ŋ",
    "&": "&",
    "%": "%",
    "$": "$",
    "#": "#",
    "_": "_",
    "{": "{",
    "}": "}",
    " ": " ",
    ",": "\u202f",
    "textendash": "–",
    "textemdash": "—",
    "ldots": "…",
    "dots": "…",
    "textellipsis": "…",
    "S": "§",
    "P": "¶",
    "copyright": "©",
    "textregistered": "®",
    "texttrademark": "™",
    "textquoteleft": "‘",
    "textquoteright": "’",
    "textquotedblleft": "“",
    "textquotedblright": "”",
    "guillemotleft": "«",
    "guillemotright": "»",
    "textdegree": "°",
    "pounds": "£",
    "euro": "€",
    "LaTeX": "LaTeX",
    "textbackslash": "\\",
    # a lone brace: ``\{`` still counts for BibTeX's brace balance, these do not
    "textbraceleft": "{",
    "textbraceright": "}",
    "textasciitilde": "~",
    "textasciicircum": "^",
    "textbar": "|",
    "textless": "<",
    "textgreater": ">",
    "TeX": "TeX",
    "slash": "/",
    "hyphen": "-",
    "newblock": " ",
    "space": " ",
    "textbullet": "•",
    "textdagger": "†",
    "textsection": "§",
    "textparagraph": "¶",
    "dag": "†",
}

#: Commands of math mode (``$\alpha$-decay``) and the characters they print.
MATH_SYMBOLS: Mapping[str, str] = {
    **{name: chr(0x3B1 + index) for index, name in enumerate(
        ("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota",
         "kappa", "lambda", "mu", "nu", "xi", "omicron", "pi", "rho", "varsigma", "sigma",
         "tau", "upsilon", "phi", "chi", "psi", "omega"))},
    "varepsilon": "ε", "vartheta": "ϑ", "varphi": "φ", "varpi": "ϖ", "varrho": "ϱ",
    "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π",
    "Sigma": "Σ", "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
    "pm": "±", "mp": "∓", "times": "×", "div": "÷", "cdot": "·", "infty": "∞",
    "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "neq": "≠", "ne": "≠", "approx": "≈",
    "sim": "∼", "equiv": "≡", "to": "→", "rightarrow": "→", "leftarrow": "←",
    "leftrightarrow": "↔", "Rightarrow": "⇒", "in": "∈", "partial": "∂", "nabla": "∇",
    "sum": "∑", "prod": "∏", "int": "∫", "sqrt": "√", "circ": "∘", "degree": "°",
    "ldots": "…", "cdots": "⋯", "prime": "′", "ell": "ℓ", "hbar": "ħ",
}  # fmt: skip

_MATH_TOKEN = re.compile(r"\\([A-Za-z]+|.)|([\^_])(\{[^{}]*\}|\\[A-Za-z]+|.)|[{}]|[^\\^_{}]+")

#: Commands whose braced argument is wrapped in rich-text markup.
MARKUP: Mapping[str, tuple[str, str]] = {
    "emph": ("<i>", "</i>"),
    "textit": ("<i>", "</i>"),
    "textsl": ("<i>", "</i>"),
    "textbf": ("<b>", "</b>"),
    "textsc": ('<span style="font-variant:small-caps;">', "</span>"),
    "textsuperscript": ("<sup>", "</sup>"),
    "textsubscript": ("<sub>", "</sub>"),
    "textup": ("", ""),
    "textrm": ("", ""),
    "textnormal": ("", ""),
    "mbox": ("", ""),
    "url": ("", ""),
    # csquotes: curly double quotes, which the engine turns into the locale's marks and
    # alternates by depth (flip-flop)
    "enquote": ("\u201c", "\u201d"),
    "textquote": ("\u201c", "\u201d"),
    # biblatex's formatting wrappers (manual §4.10.4, "Formatting Commands"): quotation
    # marks, emphasis, bold, acronyms in small caps, brackets around their argument
    "mkbibquote": ("\u201c", "\u201d"),
    "mkbibemph": ("<i>", "</i>"),
    "mkbibitalic": ("<i>", "</i>"),
    "mkbibbold": ("<b>", "</b>"),
    "mkbibacro": ('<span style="font-variant:small-caps;">', "</span>"),
    "mkbibparens": ("(", ")"),
    "mkbibbrackets": ("[", "]"),
    "mkbibsuperscript": ("<sup>", "</sup>"),
    "mkbibsubscript": ("<sub>", "</sub>"),
    "mkbibordinal": ("", ""),
    "texttt": ("", ""),
    "textsf": ("", ""),
    "textmd": ("", ""),
    "hbox": ("", ""),
    "ensuremath": ("", ""),
}

#: Starred forms that mean something else: csquotes' ``\enquote*`` is the inner quotation.
STARRED_MARKUP: Mapping[str, tuple[str, str]] = {
    "enquote": ("\u2018", "\u2019"),
    "textquote": ("\u2018", "\u2019"),
}

#: Commands that print nothing and take no argument (``\protect\TeX``), and commands
#: whose one braced argument is not printed (``\noopsort{a}``: a BibTeX sorting trick).
SILENT: frozenset[str] = frozenset({"protect", "relax", "allowbreak", "nobreak", "/"})
DROPS_ARGUMENT: frozenset[str] = frozenset(
    # \\arabic{author}: a LaTeX counter, whose value is known only inside the document
    {"noopsort", "noop", "nocite", "label", "index", "arabic"}
)

#: Fields that hold no LaTeX text (identifiers, paths, keys): never converted or checked.
VERBATIM_FIELDS: frozenset[str] = frozenset(
    {"url", "doi", "eprint", "file", "pdf", "crossref", "xref", "xdata", "ids", "related",
     "verba", "verbb", "verbc", "urlraw", "entryset", "options", "exilebib-lint-disable"}
)  # fmt: skip

#: Commands whose argument is printed as it comes (biblatex's case helpers: their effect
#: depends on the position in the printed sentence, which a CSL style decides).
TRANSPARENT: frozenset[str] = frozenset({"autocap", "bibstring", "MakeUppercase", "uppercase"})

#: Groups and command arguments nested deeper than this are read as plain text (braces
#: and commands dropped) and reported: the converter recurses once a level, and issue 13
#: found that a title of 500 nested braces took down the whole run.
MAX_DEPTH = 100

#: Old-style switches written inside a group: ``{\it text}``.
SWITCHES: Mapping[str, tuple[str, str]] = {
    "it": ("<i>", "</i>"),
    "em": ("<i>", "</i>"),
    "sl": ("<i>", "</i>"),
    "bf": ("<b>", "</b>"),
    "sc": ('<span style="font-variant:small-caps;">', "</span>"),
}

#: TeX's ligatures of its text fonts; a single ` and ' are the curved quotation marks
#: (so "O'Meara" prints as "O’Meara", as in LaTeX and pandoc).
_LIGATURES = (
    ("---", "—"), ("--", "–"), ("``", "“"), ("''", "”"), ("`", "‘"), ("'", "’"),
    ("~", "\u00a0"),
)  # fmt: skip
_COMMAND = re.compile(r"\\([A-Za-z]+|.)")
_NEEDS_WORK = re.compile(r"[\\{}~$'`]|--")
#: BibTeX reads any run of spaces, tabs and line breaks in a value as one space.
_WHITESPACE = re.compile(r"[ \t\r\n]+")
#: The rich-text tags this module writes (CSL-JSON leaves every other ``<`` and ``&`` as text).
_TAGS = re.compile(
    r'</?(?:i|b|sup|sub)>|<span (?:class="nocase"|style="font-variant:small-caps;")>|</span>'
)


def to_csl_text(value: str, *, protect_case: bool = True) -> str:
    """Convert a BibTeX value to CSL-JSON rich text.

    With ``protect_case`` (titles and other text fields), top-level ``{...}`` groups become
    ``<span class="nocase">``; without it (names, places) braces are simply dropped.
    """
    if "\n" in value or "\t" in value or "  " in value or "\r" in value:
        value = _WHITESPACE.sub(" ", value)
    if not _NEEDS_WORK.search(value):
        return value
    converter = _Converter(value, protect_case)
    return unicodedata.normalize("NFC", converter.run())


def to_plain(value: str) -> str:
    """Convert a BibTeX value to plain Unicode: no markup, braces dropped."""
    return _TAGS.sub("", to_csl_text(value, protect_case=False))


@dataclass(frozen=True, slots=True)
class LatexProblem:
    """Something in a value that the conversion could not print as LaTeX would.

    ``kind`` is ``unknown-command`` (``detail`` is the command, written with its
    backslash: its argument is printed, the command dropped) or ``too-deep`` (groups nested
    deeper than :data:`MAX_DEPTH`; ``detail`` is empty).
    """

    kind: str
    detail: str = ""

    @property
    def rule(self) -> str:
        """The diagnostic id, the same in ``render`` and ``lint``."""
        return "latex-command" if self.kind == "unknown-command" else "latex-depth"

    def describe(self, field: str) -> tuple[str, str]:
        """(message, hint) about this problem in ``field``, worded once for render and lint."""
        if self.kind == "unknown-command":
            return (
                f"{field} uses the LaTeX command {self.detail}, which exilebib does not know; "
                "its argument is printed without it",
                f"write the text it stands for, or drop {self.detail}",
            )
        return (
            f"{field} nests groups or commands more than {MAX_DEPTH} deep; the deeper text "
            "is printed without its markup",
            "remove the extra braces",
        )


def problems(value: str) -> tuple[LatexProblem, ...]:
    """What :func:`to_csl_text` cannot convert faithfully in ``value``, each once, in order."""
    if "\\" not in value and value.count("{") <= MAX_DEPTH:
        return ()
    converter = _Converter(_WHITESPACE.sub(" ", value), protect_case=False)
    converter.run()
    return tuple(dict.fromkeys(converter.problems))


class _Converter:
    """A recursive-descent walk over the value; ``pos`` moves forward only; the depth of
    recursion is bounded by :data:`MAX_DEPTH`, past which the text is read flat."""

    def __init__(self, text: str, protect_case: bool) -> None:
        self.text = text
        self.pos = 0
        self.protect_case = protect_case
        self.problems: list[LatexProblem] = []

    def run(self) -> str:
        return self._sequence(depth=0)

    def _sequence(self, depth: int) -> str:
        if depth > MAX_DEPTH:
            return self._flat()
        out: list[str] = []
        text = self.text
        while self.pos < len(text):
            char = text[self.pos]
            if char == "}":
                if depth > 0:
                    return "".join(out)
                self.pos += 1  # a stray closing brace: drop it
                continue
            if char == "{":
                self.pos += 1
                out.append(self._group(depth))
            elif char == "\\":
                out.append(self._command(depth))
            elif char == "$":
                out.append(self._math())
            else:
                for source, target in _LIGATURES:
                    if text.startswith(source, self.pos):
                        out.append(target)
                        self.pos += len(source)
                        break
                else:
                    out.append(char)
                    self.pos += 1
        return "".join(out)

    def _flat(self) -> str:
        """The rest of the current group as plain text, without recursion: braces and
        command names dropped. Stops before the group's closing brace."""
        self.problems.append(LatexProblem("too-deep"))
        out: list[str] = []
        text = self.text
        level = 0
        while self.pos < len(text):
            char = text[self.pos]
            if char == "}":
                if level == 0:
                    break
                level -= 1
            elif char == "{":
                level += 1
            elif char == "\\":
                match = _COMMAND.match(text, self.pos)
                if match is not None:
                    self.pos = match.end()
                    name = match.group(1)
                    out.append(name if not name.isalpha() else "")
                    continue
            else:
                out.append(char)
            self.pos += 1
        return "".join(out)

    def _group(self, depth: int) -> str:
        """The content of ``{...}``; the opening brace is already consumed."""
        start = self.pos
        switch = _COMMAND.match(self.text, self.pos)
        wrap = ("", "")
        if switch and switch.group(1) in SWITCHES:
            wrap = SWITCHES[switch.group(1)]
            self.pos = switch.end()
            if self.text.startswith(" ", self.pos):
                self.pos += 1
        inner = self._sequence(depth + 1)
        if self.pos < len(self.text):
            self.pos += 1  # the closing brace
        # BibTeX: a group that starts with a command ("special character") is not case
        # protection, and only top-level groups protect case.
        starts_with_command = self.text.startswith("\\", start)
        if (
            self.protect_case
            and depth == 0
            and not starts_with_command
            and any(c.isalpha() for c in inner)
        ):
            return f'<span class="nocase">{wrap[0]}{inner}{wrap[1]}</span>'
        return f"{wrap[0]}{inner}{wrap[1]}"

    def _argument(self, depth: int) -> str:
        """A command's argument: a braced group (converted) or the next single character."""
        text = self.text
        while self.pos < len(text) and text[self.pos] == " ":
            self.pos += 1
        if self.pos >= len(text):
            return ""
        if text[self.pos] == "{":
            self.pos += 1
            inner = self._sequence(depth + 1)
            if self.pos < len(text):
                self.pos += 1
            return inner
        if text[self.pos] == "\\":
            return self._command(depth + 1)  # \'\'\'...: each level is a level of recursion
        char = text[self.pos]
        self.pos += 1
        return char

    def _command(self, depth: int) -> str:
        match = _COMMAND.match(self.text, self.pos)
        if match is None:  # a lone backslash at the end
            self.pos += 1
            return ""
        name = match.group(1)
        self.pos = match.end()
        if depth > MAX_DEPTH:
            self.problems.append(LatexProblem("too-deep"))
            return ""
        starred = self.text.startswith("*", self.pos) and name in STARRED_MARKUP
        if starred:
            self.pos += 1
            before, after = STARRED_MARKUP[name]
            return f"{before}{self._argument(depth)}{after}"
        if name in ACCENTS and (len(name) == 1):
            base = self._argument(depth)
            if not base:
                return ACCENTS[name]
            base = {"ı": "i", "ȷ": "j"}.get(base[0], base[0]) + base[1:]
            return unicodedata.normalize("NFC", base[0] + ACCENTS[name] + base[1:])
        if name in SYMBOLS:
            if name.isalpha() and self.text.startswith(" ", self.pos):
                self.pos += 1  # "\ss x": the space only ends the command name
            elif self.text.startswith("{}", self.pos):
                self.pos += 2
            return SYMBOLS[name]
        if name in MARKUP:
            before, after = MARKUP[name]
            return f"{before}{self._argument(depth)}{after}"
        if name == "href":
            self._argument(depth)  # the URL
            return self._argument(depth)
        if name in SWITCHES:
            return ""  # a switch outside a group: no scope we can honour, drop it
        if name in SILENT:
            return ""
        if name in DROPS_ARGUMENT:
            self._argument(depth)
            return ""
        if name in TRANSPARENT:
            return self._argument(depth) if self.text.startswith("{", self.pos) else ""
        # An unknown command: keep its argument's text, drop the command, and say so.
        self.problems.append(LatexProblem("unknown-command", f"\\{name}"))
        if self.text.startswith("{", self.pos):
            return self._argument(depth)
        return ""

    def _math(self) -> str:
        end = self.text.find("$", self.pos + 1)
        if end == -1:
            self.pos += 1
            return "$"
        inner = self.text[self.pos + 1 : end]
        self.pos = end + 1
        return _math_text(inner)


def _math_symbol(name: str) -> str:
    """A math command's character; an unknown one (``\\mathrm``) prints nothing, its
    argument is printed as it comes."""
    found = MATH_SYMBOLS.get(name, SYMBOLS.get(name))
    if found is not None:
        return found
    return "" if name.isalpha() else name


def _math_text(inner: str) -> str:
    """Inline math as text: known commands as their characters, ``^``/``_`` as
    superscript/subscript rich text, braces dropped; anything else as written."""
    out: list[str] = []
    for match in _MATH_TOKEN.finditer(inner):
        command, script, argument = match.group(1), match.group(2), match.group(3)
        if command is not None:
            out.append(_math_symbol(command))
        elif script is not None:
            if argument.startswith("{"):
                argument = _math_text(argument[1:-1])
            elif argument.startswith("\\"):
                argument = _math_symbol(argument[1:])
            tag = "sup" if script == "^" else "sub"
            out.append(f"<{tag}>{argument}</{tag}>")
        elif match.group(0) not in "{}":
            out.append(match.group(0))
    return "".join(out)
