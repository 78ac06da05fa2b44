"""Prints the golden and differential agreement at the end of a run that included them."""

from __future__ import annotations

import pytest
from golden_cases import agreement_table


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    from test_differential import SUMMARY
    from test_golden import RESULTS

    if RESULTS:
        terminalreporter.section("agreement with citeproc-js (golden files)")
        for line in agreement_table(RESULTS):
            terminalreporter.write_line(line)
    if SUMMARY:
        terminalreporter.section("agreement with citeproc-js (differential, random items)")
        for line in SUMMARY:
            terminalreporter.write_line(line)
