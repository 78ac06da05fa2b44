"""The switch that turns exilebib's CSL rules on and off around citeproc-py's own code.

Every rule replaces one method of a citeproc-py model class while the switch is on;
citeproc-py's own methods are back while it is off. The switch
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

_ABSENT = object()
#: (class, method name, rule) in import order
_REGISTRY: list[tuple[type, str, Callable[..., Any]]] = []
#: what installing replaced, to put back in reverse order
_SAVED: list[tuple[type, str, Any]] = []


def _bind(rule: Callable[..., Any], original: Any, name: str) -> Callable[..., Any]:
    def patched(*args: Any, **kwargs: Any) -> Any:
        return rule(original, *args, **kwargs)

    patched.__name__ = name
    patched.__doc__ = rule.__doc__
    patched.__wrapped__ = original  # type: ignore[attr-defined]
    return patched


def _install() -> None:
    for cls, name, rule in _REGISTRY:
        _SAVED.append((cls, name, cls.__dict__.get(name, _ABSENT)))
        setattr(cls, name, _bind(rule, getattr(cls, name), name))


def _uninstall() -> None:
    while _SAVED:
        cls, name, previous = _SAVED.pop()
        if previous is _ABSENT:
            delattr(cls, name)
        else:
            setattr(cls, name, previous)


@contextmanager
def rules_enabled(enabled: bool) -> Iterator[None]:
    """Run the block with the rules on (or off), restoring the previous setting after.

    Turning the rules on puts each rule's method on its citeproc-py class (so rendering pays
    nothing for the switch); turning them off puts citeproc-py's methods back.
    """
    previous = STATE.on
    if enabled != previous:
        _install() if enabled else _uninstall()
        STATE.on = enabled
    try:
        yield
    finally:
        if STATE.on != previous:
            _install() if previous else _uninstall()
            STATE.on = previous


def replace(cls: type, name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register the decorated rule to replace ``cls.name`` while the rules are on.

    The rule receives the method it replaces (citeproc-py's, or an earlier rule's for the
    same method) as its first argument, so it can defer to it for the cases it leaves alone.
    """

    def decorate(rule: Callable[..., Any]) -> Callable[..., Any]:
        if STATE.on:
            raise RuntimeError("rules must be registered while the rules are off")
        _REGISTRY.append((cls, name, rule))
        return rule

    return decorate
