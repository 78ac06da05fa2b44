"""``render -f html --standalone`` opened in a real headless browser (Chromium): nothing
runs off an 800-pixel-wide page (the Commons URL of the Kazakhstan photograph is 260
characters of percent-escapes), entries hang, links are links.

The page is measured by a script the test appends to a copy of the document; the
browser writes its findings into the DOM, which ``--dump-dom`` prints. Skipped, with the
reason, where no Chromium is installed (Debian: ``apt-get install chromium``).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from exilebib.cli import main

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
BROWSER = next((found for name in BROWSERS if (found := shutil.which(name))), None)

pytestmark = pytest.mark.skipif(
    BROWSER is None, reason="no Chromium installed (Debian: apt-get install chromium)"
)

#: Appended to the document: what the test asks the page, answered as JSON in a <pre>.
PROBE = """
<script>
const entries = [...document.querySelectorAll('.csl-entry')];
const style = getComputedStyle(entries[0]);
const result = {
  lang: document.documentElement.lang,
  scrollWidth: document.documentElement.scrollWidth,
  innerWidth: window.innerWidth,
  widest: Math.max(...entries.map(e => e.getBoundingClientRect().right)),
  textIndent: parseFloat(style.textIndent),
  paddingLeft: parseFloat(style.paddingLeft),
  gap: entries[1].getBoundingClientRect().top - entries[0].getBoundingClientRect().bottom,
  links: document.querySelectorAll('.csl-entry a[href^="http"]').length,
};
const out = document.createElement('pre');
out.id = 'probe';
out.textContent = JSON.stringify(result);
document.body.appendChild(out);
</script>
"""


def measure(document: str, tmp_path: Path) -> dict[str, float | str]:
    """Load ``document`` in headless Chromium at 800×600 and return what PROBE found."""
    assert BROWSER is not None
    page = tmp_path / "page.html"
    page.write_text(document.replace("</body>", PROBE + "</body>"), "utf-8")
    command = [
        BROWSER, "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--disable-dev-shm-usage", f"--user-data-dir={tmp_path / 'profile'}",
        "--window-size=800,600", "--dump-dom", page.as_uri(),
    ]  # fmt: skip
    result = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    found = re.search(r'<pre id="probe">(.*?)</pre>', result.stdout)
    assert found, f"the browser printed no probe (exit {result.returncode}): {result.stderr[-500:]}"
    measured: dict[str, float | str] = json.loads(found.group(1))
    return measured


@pytest.fixture(scope="module")
def standalone(essay_bib_path: Path) -> str:
    result = CliRunner().invoke(
        main, ["render", str(essay_bib_path), "-f", "html", "--standalone", "-l", "en-GB"]
    )
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def essay_bib_path() -> Path:
    return Path(__file__).resolve().parents[1] / "refs" / "sources.bib"


def test_standalone_html_fits_an_800px_page_in_a_browser(standalone: str, tmp_path: Path) -> None:
    measured = measure(standalone, tmp_path)
    assert (measured["lang"], measured["innerWidth"]) == ("en-GB", 800)
    assert measured["scrollWidth"] <= measured["innerWidth"]  # no horizontal scrollbar
    assert float(measured["widest"]) <= float(measured["innerWidth"])
    # hanging indent: the first line out at the margin, the others in
    assert float(measured["textIndent"]) < 0
    assert float(measured["paddingLeft"]) == -float(measured["textIndent"])
    assert float(measured["gap"]) > 0  # space between entries
    assert int(measured["links"]) >= 6  # the URLs are links


def test_the_measure_sees_the_overflow_without_the_style_sheet(
    standalone: str, tmp_path: Path
) -> None:
    # What the page looked like before it had a style sheet: the long URL runs off it.
    # This guards the guard: the probe does detect an overflow when there is one.
    bare = re.sub(r"<style>.*?</style>\n", "", standalone, flags=re.DOTALL)
    measured = measure(bare, tmp_path)
    assert measured["scrollWidth"] > measured["innerWidth"]
