"""``exilebib add``: make an entry from an identifier (DOI, ISBN, Commons file, web page).

One module per concern: :mod:`.identifiers` reads what the user typed (no I/O),
:mod:`.settings` names the services' endpoints, :mod:`.fetch` asks them over HTTP under the
link checker's address policy, :mod:`.doi`, :mod:`.openlibrary`, :mod:`.commons` and
:mod:`.webpage` turn each service's answer into a CSL-JSON item, :mod:`.entry` maps that
item to a BibTeX entry by the reverse of :mod:`exilebib.csl`'s tables, and :mod:`.append`
finds duplicates and appends the entry without touching a byte of what was there.
"""
