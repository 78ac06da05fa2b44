"""How a rule names the citeproc-py method it overrides.

A rule is a plain function; the decorators below only note on it which method of which
citeproc-py class it overrides. Nothing is changed on citeproc-py's classes: the engine's
own element classes are built from these notes, in the order :data:`exilebib.engine.
elements.RULE_ORDER` gives (see that module).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

#: the attribute of a rule function that lists its targets
TARGETS_ATTRIBUTE = "__exilebib_targets__"

#: a rule: any function (its signature is the overridden method's, see :class:`Target`);
#: the decorators hand it back unchanged, so it keeps its own type
Rule = TypeVar("Rule", bound="Callable[..., object]")


@dataclass(frozen=True, slots=True)
class Target:
    """One method a rule overrides: ``cls.name``.

    A plain rule (``direct=False``) is called as ``rule(overridden, self, *args)``, where
    ``overridden`` is the method it overrides (citeproc-py's, or the previous rule's for
    the same method). A direct rule is a factory: called once with the overridden method,
    it returns the method itself, so each call costs one Python frame (the engine's hottest
    lookups).
    """

    cls: type
    name: str
    direct: bool


def targets(rule: Callable[..., object]) -> tuple[Target, ...]:
    """The methods ``rule`` overrides, in the order they were declared."""
    return tuple(getattr(rule, TARGETS_ATTRIBUTE, ()))


def _note(rule: Rule, target: Target) -> Rule:
    setattr(rule, TARGETS_ATTRIBUTE, (*targets(rule), target))
    return rule


def replace(cls: type, name: str) -> Callable[[Rule], Rule]:
    """The decorated rule overrides ``cls.name``; it receives the overridden method first."""
    return lambda rule: _note(rule, Target(cls, name, direct=False))


def replace_direct(cls: type, name: str) -> Callable[[Rule], Rule]:
    """The decorated factory, given the overridden method, returns ``cls.name``'s override."""
    return lambda factory: _note(factory, Target(cls, name, direct=True))
