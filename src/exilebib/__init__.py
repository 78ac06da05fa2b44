"""exilebib: an essay's sources as BibTeX, link-checked and rendered through CSL styles.

The library returns data and never prints; :mod:`exilebib.cli` is the only module that
talks to the terminal and picks exit codes.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("exilebib")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

__all__ = ["__version__"]
