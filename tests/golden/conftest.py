"""Prints the golden agreement per style at the end of a run that included the golden tests."""

from __future__ import annotations

import pytest
from golden_cases import agreement_table


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    from test_golden import RESULTS

    if RESULTS:
        terminalreporter.section("agreement with citeproc-js (golden files)")
        for line in agreement_table(RESULTS):
            terminalreporter.write_line(line)
