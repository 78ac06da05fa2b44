"""The state of one render (a bibliography or a list of citations), shared by the rules.

citeproc-py calls the rules through its own method signatures, which carry the item but not
the render, and it keeps what it needs as Python attributes on lxml element proxies, which
are shared by every render of a style. The rules keep their state in a :class:`RenderState`
instead: :class:`exilebib.engine.Engine` makes a new one for each call and makes it the
*current* one (a :mod:`contextvars` variable) while the call renders, so two renders in two
threads (or two asyncio tasks) never see each other's state. :func:`current` is how a rule
reaches it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from exilebib.engine.types import ItemFacts, NameValue

#: what a trial cite's text depends on: item key, names raised to, given-name level, the
#: ``disambiguate`` condition, and the per-name levels ((variable, levels), ...)
DisambiguationState = tuple[str, int | None, int | None, bool,
                            tuple[tuple[str, tuple[int, ...]], ...]]


@dataclass(slots=True)
class Disambiguation:
    """What disambiguation decided, per engine item key (see :mod:`.disambiguation`)."""

    names: dict[str, int] = field(default_factory=dict)  # et-al-use-first raised to
    givenname: dict[str, int] = field(default_factory=dict)  # 1: long form, 2: full given
    condition: set[str] = field(default_factory=set)
    explicit_year_suffix: bool = False
    #: given names added (by-cite or a global rule): (item key, name variable) -> a level
    #: per name (0 as the style has it, 1 initials or the long form, 2 the full given name)
    name_levels: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    #: the same per item, as the part of a trial cite's state (see DisambiguationState)
    level_state: dict[str, tuple[tuple[str, tuple[int, ...]], ...]] = field(
        default_factory=dict)
    #: rendering a name list with per-name levels: long form, names pre-initialized
    expanding: bool = False
    #: trial cites rendered while deciding, by item and the state that affects them
    rendered: dict[DisambiguationState, str] = field(default_factory=dict)
    #: the name lists each trial cite showed, as ``capture`` records them
    shown: dict[DisambiguationState, list[tuple[str, list[NameValue], bool]]] = field(
        default_factory=dict)
    #: the style's smallest et-al-use-first: names raised to no more than this render as
    #: if not raised
    use_first_floor: int = 1
    #: while set, every name list rendered in a trial cite is recorded here:
    #: (variable, the names shown, whether the cs:name initializes)
    capture: list[tuple[str, list[NameValue], bool]] | None = None


@dataclass(slots=True)
class Capitals:
    """Where a leading term is capitalized (see :mod:`.citation_layout`): the cite being
    watched, the first term it rendered, and (on the second rendering) the term element to
    capitalize."""

    first_cite: Any = None
    watch: bool = False
    first_term: tuple[Any, str] | None = None
    force: Any = None


@dataclass(slots=True)
class AuthorSubstitution:
    """subsequent-author-substitute while a bibliography renders (see
    :mod:`.author_substitute`)."""

    #: (substitute, rule) when the style sets the option
    active: tuple[str, str] | None = None
    #: the names of the preceding entry, per section
    previous: dict[object, tuple[Any, ...]] = field(default_factory=dict)
    section: object = None
    #: while the first cs:names of an entry renders: (variable, shown names) per name list
    capture: list[tuple[str, list[Any]]] | None = None
    #: while it renders again: variable -> names to show instead, or the substitute itself
    replace: dict[str, Any] | None = None


class RenderState:
    def __init__(self, item_facts: dict[ItemFacts, ItemFacts] | None = None) -> None:
        #: an item's type and the keys it has, one object per distinct pair: the style's
        #: (it outlives the render), so the memos its elements keep per pair (see
        #: reach.facts) find a pair by identity instead of comparing it key by key
        self.item_facts = {} if item_facts is None else item_facts
        self.suppressed: set[str] = set()
        self.capture: list[set[str]] = []
        #: rendering a cs:choose that is a child of cs:substitute: its branch yields its
        #: first non-empty element only (see substitute)
        self.substitute_first = False
        #: the cite asks to drop (or keep only) the author: the first rendered cs:names
        self.suppress_author = False
        self.author_only = False
        self.names_rendered = 0
        self.names_depth = 0
        #: the text of the cite's first rendered cs:names (cite grouping compares it)
        self.first_names = ""
        #: the same as rendered (with its formatting), for author-only cites
        self.first_names_text: object = None
        #: rendering a sort key: dates and numbers render as sortable values
        self.sorting = False
        #: the name options of the macro sort key being rendered (see sort_keys)
        self.key_options: dict[str, Any] | None = None
        #: rendering a citation (not the bibliography), and for which item
        self.in_citation = False
        self.item_key: str | None = None
        self.year_suffix_done = False
        #: the cite being rendered is a subsequent one (its position is not "first")
        self.subsequent = False
        #: the implicit year-suffix waiting for the year of the date being rendered
        self.year_suffix_pending: str | None = None
        #: open cs:group (and macro) frames, innermost last: [a variable was called,
        #: a called variable printed something] (see group_suppression)
        self.groups: list[list[bool]] = []
        #: where a display layout collects the rendering elements of a cs:choose branch
        self.display_parts: list[tuple[object, str | None]] | None = None
        #: a display block took the layout's suffix (see display)
        self.layout_suffix_done = False
        self.disambiguation = Disambiguation()
        self.capitals = Capitals()
        self.author_substitution = AuthorSubstitution()

    def start_item(self, cite: object = None) -> None:
        self.suppressed = set()
        self.capture = []
        get = getattr(cite, "get", None)
        self.suppress_author = bool(get("suppress_author")) if get else False
        self.author_only = bool(get("author_only")) if get else False
        self.names_rendered = 0
        self.names_depth = 0
        self.first_names = ""
        self.first_names_text = None
        self.item_key = getattr(cite, "key", None)
        self.year_suffix_done = False
        self.subsequent = get("position") not in (None, "first") if get else False

    def name_option_key(self) -> tuple[object, ...]:
        """All that the rules on ``Name.get_option`` read of the render besides their
        arguments: et_al_subsequent's subsequent cite and disambiguation's decisions for
        the item being rendered (``disambiguation.name_option``). name_list keeps the
        options it resolves per this key: keep the three in step."""
        decided = self.disambiguation
        if not self.in_citation:
            return (False, decided.expanding)
        key = self.item_key
        if key is None:
            return (self.subsequent, decided.expanding, True)
        return (self.subsequent, decided.expanding, True, decided.names.get(key),
                decided.givenname.get(key))

    def record(self, variable: str) -> None:
        """Note that ``variable`` was rendered (seen by an enclosing cs:substitute)."""
        if self.capture:
            self.capture[-1].add(variable.replace("_", "-"))

    def is_suppressed(self, variable: str) -> bool:
        return bool(self.suppressed) and variable.replace("_", "-") in self.suppressed


_CURRENT: ContextVar[RenderState] = ContextVar("exilebib_render_state")

#: the state of the render in progress in this thread (or task)
current: Callable[[], RenderState] = _CURRENT.get


@contextmanager
def rendering(state: RenderState) -> Iterator[RenderState]:
    """Make ``state`` the current render's state for the block."""
    token = _CURRENT.set(state)
    try:
        yield state
    finally:
        _CURRENT.reset(token)
