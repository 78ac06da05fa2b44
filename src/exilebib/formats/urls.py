"""Where a rendered entry's text holds a URL, for the formats that make it a link.

A URL ends before trailing punctuation that belongs to the sentence (the style's final
period, a closing parenthesis), as in citeproc-js's and pandoc's linkified output.
"""

from __future__ import annotations

import re

URL = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:)\]]")
