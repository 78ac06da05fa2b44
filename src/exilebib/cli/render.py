"""``exilebib render``: print the bibliography (filled in below)."""

from __future__ import annotations

from exilebib.cli import main

__all__ = ["main"]
