"""Seeded random CSL-JSON items and citation clusters (stdlib only).

Used by the differential test (tests/golden/test_differential.py) and the render benchmark
(bench/render/run.py). The same seed gives the same items on every machine. Items use only
CSL variables that both engines know, so one odd item cannot sink a whole run; the golden
corpus covers the rarer variables.
"""

from __future__ import annotations

import random
from typing import Any

TYPES = (
    "book",
    "book",
    "chapter",
    "article-journal",
    "article-journal",
    "article-magazine",
    "article-newspaper",
    "webpage",
    "post-weblog",
    "thesis",
    "report",
    "paper-conference",
    "manuscript",
    "graphic",
    "entry-encyclopedia",
    "dataset",
)
_FAMILIES = [
    "Abara",
    "Bellamy",
    "Castellanos",
    "Dorn",
    "Eastwood",
    "Fairbanks",
    "Gutiérrez",
    "Holm",
    "Iwasaki",
    "Jaramillo",
    "Kowalczyk",
    "Lindahl",
    "Mwangi",
    "Nakagawa",
    "Okonjo",
    "Petrakis",
    "Quarles",
    "Rasmussen",
    "Sørensen",
    "Thorne",
    "Underhill",
    "Vasquez",
    "Whitlock",
    "Xu",
    "Yamada",
    "Zielinski",
]
_GIVENS = [
    "Ada",
    "Bruno",
    "Carmen",
    "Dmitri",
    "Elena",
    "Farid",
    "Greta",
    "Hugo",
    "Ines",
    "Jonas",
    "Kamala",
    "Lars",
    "Mireille",
    "Nils",
    "Odile",
    "Pavel",
    "Quentin",
    "Rosa",
    "Selim",
    "Tamsin",
    "Ulla",
    "Viktor",
    "Wanda",
    "Yusuf",
    "Zofia",
    "Jean-Luc",
]
_PARTICLES = (
    ("non-dropping-particle", "van"),
    ("non-dropping-particle", "de"),
    ("dropping-particle", "von"),
    ("non-dropping-particle", "van der"),
)
_CORPORATE = (
    "International Refugee Organization",
    "Society for Exile Studies",
    "National Archives",
    "Committee on Displaced Persons",
)
_WORDS = [
    "exile",
    "harbour",
    "frontier",
    "letters",
    "archive",
    "passage",
    "refuge",
    "ledger",
    "consul",
    "crossing",
    "memory",
    "border",
    "asylum",
    "émigré",
    "ship",
    "manifest",
    "visa",
    "diaspora",
    "republic",
    "revolution",
    "island",
    "winter",
    "garden",
    "house",
    "city",
    "return",
]
_CONTAINERS = {
    "article-journal": ("Journal of Exile Studies", "Past and Present", "Itinerario"),
    "article-magazine": ("History Today", "The Atlantic Quarterly", "The Listener"),
    "article-newspaper": ("The Guardian", "The New York Times", "Le Monde"),
    "webpage": ("Hoover Institution", "British Library", "Exile Archive"),
    "post-weblog": ("The Archivist's Notebook", "Footnotes and Ferries"),
    "graphic": ("Wikimedia Commons",),
    "entry-encyclopedia": ("Encyclopedia of Migration", "Wikipedia"),
    "chapter": ("The Exile Reader", "Essays on Displacement"),
    "paper-conference": ("Proceedings of the Exile History Workshop",),
}
_PUBLISHERS = (
    ("Oxford University Press", "Oxford"),
    ("Verso", "London"),
    ("University of Chicago Press", "Chicago"),
    ("Gallimard", "Paris"),
    ("Zenodo", None),
)


def _person(rng: random.Random) -> dict[str, str]:
    person = {"family": rng.choice(_FAMILIES), "given": rng.choice(_GIVENS)}
    roll = rng.random()
    if roll < 0.08:
        kind, particle = rng.choice(_PARTICLES)
        person[kind] = particle
    elif roll < 0.12:
        person["given"] = f"{person['given'][0]}. {rng.choice(_GIVENS)[0]}."
    elif roll < 0.14:
        person["suffix"] = "Jr."
    return person


def _names(rng: random.Random) -> list[dict[str, str]]:
    if rng.random() < 0.08:
        return [{"literal": rng.choice(_CORPORATE)}]
    count = rng.choices((1, 2, 3, 4, 5, 7, 11), weights=(50, 20, 10, 8, 5, 4, 3))[0]
    return [_person(rng) for _ in range(count)]


def _title(rng: random.Random) -> str:
    words = rng.sample(_WORDS, rng.randint(2, 6))
    title = " ".join(words).capitalize()
    roll = rng.random()
    if roll < 0.1:
        title += f": The {rng.choice(_WORDS).capitalize()} of {rng.randint(1900, 1999)}"
    elif roll < 0.15:
        title = f'On "{rng.choice(_WORDS)}" and {rng.choice(_WORDS)}'
    elif roll < 0.2:
        title += "?"
    return title


def _date(rng: random.Random, year: int) -> dict[str, Any]:
    roll = rng.random()
    if roll < 0.5:
        return {"date-parts": [[year]]}
    if roll < 0.7:
        return {"date-parts": [[year, rng.randint(1, 12)]]}
    if roll < 0.95:
        return {"date-parts": [[year, rng.randint(1, 12), rng.randint(1, 28)]]}
    return {"date-parts": [[year], [year + rng.randint(1, 4)]]}


def _pages(rng: random.Random) -> str:
    start = rng.choice((rng.randint(1, 99), rng.randint(100, 999), rng.randint(1000, 1500)))
    return f"{start}-{start + rng.randint(1, 40)}"


def generate_items(count: int, seed: int = 1937) -> list[dict[str, Any]]:
    """``count`` CSL-JSON items with ids ``gen-00001`` ..."""
    rng = random.Random(seed)
    items = []
    for index in range(count):
        kind = rng.choice(TYPES)
        item: dict[str, Any] = {"id": f"gen-{index + 1:05d}", "type": kind, "title": _title(rng)}
        if kind == "book" and rng.random() < 0.1:
            item["editor"] = _names(rng)
        elif kind != "graphic" or rng.random() < 0.3:
            item["author"] = _names(rng)
        if rng.random() < 0.1:
            item["translator"] = [_person(rng)]
        year = rng.randint(1890, 2024)
        if rng.random() < 0.92:
            item["issued"] = _date(rng, year)
        if kind == "book" and rng.random() < 0.1:
            item["original-date"] = {"date-parts": [[year - rng.randint(10, 80)]]}
        if kind in _CONTAINERS:
            item["container-title"] = rng.choice(_CONTAINERS[kind])
        if kind == "chapter" and rng.random() < 0.7:
            item["editor"] = _names(rng)
        if kind in ("article-journal", "chapter", "paper-conference", "entry-encyclopedia"):
            item["page"] = _pages(rng)
        if kind == "article-journal":
            item["volume"] = str(rng.randint(1, 120))
            if rng.random() < 0.7:
                item["issue"] = str(rng.randint(1, 12))
            if rng.random() < 0.5:
                item["DOI"] = f"10.5555/gen.{year}.{index}"
        if kind in ("book", "chapter", "report", "thesis", "paper-conference", "dataset"):
            publisher, place = rng.choice(_PUBLISHERS)
            item["publisher"] = publisher
            if place:
                item["publisher-place"] = place
        if kind == "book" and rng.random() < 0.15:
            item["edition"] = str(rng.randint(2, 5))
        if kind == "thesis":
            item["genre"] = rng.choice(("PhD diss.", "MA thesis"))
        if kind == "report" and rng.random() < 0.5:
            item["number"] = str(rng.randint(1, 99))
        if kind in ("webpage", "post-weblog", "graphic", "dataset") or rng.random() < 0.1:
            item["URL"] = f"https://example.org/{kind}/{index}"
            item["accessed"] = {"date-parts": [[2024, rng.randint(1, 12), rng.randint(1, 28)]]}
        items.append(item)
    return items


def generate_clusters(
    items: list[dict[str, Any]], count: int, seed: int = 1940
) -> list[list[dict[str, str]]]:
    """``count`` citation clusters of 1-3 cites, some with locators, some repeating."""
    rng = random.Random(seed)
    clusters: list[list[dict[str, str]]] = []
    for _ in range(count):
        if clusters and rng.random() < 0.2:  # repeat the previous first cite: ibid/subsequent
            previous = clusters[-1][0]
            clusters.append([{"id": previous["id"], "locator": str(rng.randint(1, 300))}])
            continue
        cluster = []
        for item in rng.sample(items, rng.choice((1, 1, 1, 2, 3))):
            cite = {"id": str(item["id"])}
            roll = rng.random()
            if roll < 0.4:
                cite["locator"] = str(rng.randint(1, 400))
            elif roll < 0.5:
                start = rng.randint(100, 400)
                cite["locator"] = f"{start}-{start + rng.randint(2, 20)}"
            elif roll < 0.55:
                cite["locator"], cite["label"] = str(rng.randint(1, 12)), "chapter"
            cluster.append(cite)
        clusters.append(cluster)
    return clusters
