"""Prints the agreement with pandoc at the end of a run that included the differential."""

from __future__ import annotations

import pytest


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    from test_pandoc_differential import SUMMARY

    if SUMMARY:
        terminalreporter.section("agreement with pandoc (biblatex-examples.bib)")
        for line in SUMMARY:
            terminalreporter.write_line(line)
