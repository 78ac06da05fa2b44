"""Per-item rendering state shared by the rules (which variables a substitute consumed).

citeproc-py keeps such state as Python attributes on lxml element proxies, which lxml may
drop and recreate at any time; the rules keep theirs here instead. Rendering is sequential,
so one state object suffices; :func:`start_item` resets it before each entry or cite.
"""

from __future__ import annotations


class RenderState:
    def __init__(self) -> None:
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
        #: rendering a citation (not the bibliography), and for which item
        self.in_citation = False
        self.item_key: str | None = None
        self.year_suffix_done = False
        #: open cs:group (and macro) frames, innermost last: [a variable was called,
        #: a called variable printed something] (see group_suppression)
        self.groups: list[list[bool]] = []
        #: where a display layout collects the rendering elements of a cs:choose branch
        self.display_parts: list[tuple[object, str | None]] | None = None
        #: a display block took the layout's suffix (see display)
        self.layout_suffix_done = False

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

    def record(self, variable: str) -> None:
        """Note that ``variable`` was rendered (seen by an enclosing cs:substitute)."""
        if self.capture:
            self.capture[-1].add(variable.replace("_", "-"))

    def is_suppressed(self, variable: str) -> bool:
        return bool(self.suppressed) and variable.replace("_", "-") in self.suppressed


RENDER = RenderState()
