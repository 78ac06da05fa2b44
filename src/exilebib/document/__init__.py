"""Finishing an essay: pandoc-syntax citations in, the essay with its notes or in-text
citations and its bibliography out.

``locators`` reads the locator labels of a locale and splits a cite's suffix into locator
and suffix as pandoc does; ``essay`` reads the essay (front matter, footnotes, headings,
citations in document order); ``compose`` decides note numbers, renders every citation and
the bibliography; the writers (``markdown``, ``html``, ``docx``, ``rtf``) serialise the
result. Nothing here prints.
"""

#: The formats ``exilebib doc`` writes, in the order help shows them (the writers'
#: registry, :data:`exilebib.document.writers.WRITERS`, has one for each).
FORMAT_NAMES: tuple[str, ...] = ("markdown", "html", "docx", "rtf")
