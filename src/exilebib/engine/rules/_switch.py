"""The switch that turns exilebib's CSL rules on and off around citeproc-py's own code.

Every rule replaces one method of a citeproc-py model class with a wrapper that runs the
rule while the switch is on and citeproc-py's original method while it is off. The switch
exists so the CSL test suite can measure citeproc-py alone against citeproc-py with the
rules (``Engine(..., fixes=False)`` or ``EXILEBIB_ENGINE_FIXES=0``); exilebib itself always
renders with the rules on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


class _State:
    on: bool = False


STATE = _State()


@contextmanager
def rules_enabled(enabled: bool) -> Iterator[None]:
    """Run the block with the rules on (or off), restoring the previous setting after."""
    previous = STATE.on
    STATE.on = enabled
    try:
        yield
    finally:
        STATE.on = previous


def replace(cls: type, name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Replace ``cls.name`` by the decorated rule while the switch is on.

    The rule receives citeproc-py's original method as its first argument so it can defer to
    it for the cases the rule does not change.
    """

    def decorate(rule: Callable[..., Any]) -> Callable[..., Any]:
        original = getattr(cls, name)

        def switched(*args: Any, **kwargs: Any) -> Any:
            if STATE.on:
                return rule(original, *args, **kwargs)
            return original(*args, **kwargs)

        switched.__name__ = name
        switched.__doc__ = rule.__doc__
        switched.__wrapped__ = original  # type: ignore[attr-defined]
        setattr(cls, name, switched)
        return rule

    return decorate
