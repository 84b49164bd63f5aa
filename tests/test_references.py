"""The citations of the chapters and references.bib agree, in both directions.

- every key of a {cite} role ({cite}, {cite:p}, {cite:t}, ...; several keys separated by commas) in
  the markdown cells of chapters/*.ipynb and in chapters/*.md is an entry of references.bib;
- every entry of references.bib is cited at least once (the references page lists all entries
  with :all:, so an uncited entry would appear there without any chapter relying on it).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = ROOT / "chapters"
BIB = ROOT / "references.bib"

BIB_ENTRY = re.compile(r"^\s*@(?P<type>\w+)\s*\{\s*(?P<key>[^,\s]+)\s*,", re.MULTILINE)
NOT_ENTRIES = {"comment", "string", "preamble"}
CITE_ROLE = re.compile(r"\{(?:cite|footcite)(?::\w+)?\}`([^`]*)`")


def bib_keys() -> list[str]:
    text = BIB.read_text(encoding="utf-8")
    return [m["key"] for m in BIB_ENTRY.finditer(text) if m["type"].lower() not in NOT_ENTRIES]


def cited_keys(markdown: str) -> list[str]:
    keys = (key.strip() for content in CITE_ROLE.findall(markdown) for key in content.split(","))
    return [key for key in keys if key]


def pages() -> dict[str, str]:
    """Page name -> its markdown (the markdown cells only, for a notebook)."""
    result = {}
    for path in sorted(CHAPTERS.glob("*.md")):
        result[path.name] = path.read_text(encoding="utf-8")
    for path in sorted(CHAPTERS.glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        result[path.name] = "\n\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    return result


PAGES = pages()
KEYS = bib_keys()
CITED = {name: cited_keys(text) for name, text in PAGES.items()}


def test_the_parsers():
    assert cited_keys("see {cite}`a2020` and {cite:p}`b2021, c2022` or {cite:t}`d`") == [
        "a2020",
        "b2021",
        "c2022",
        "d",
    ]
    bib = "@article{x2020,\n  title={T},\n}\n@book{ y ,\n@comment{not an entry,"
    assert [m["key"] for m in BIB_ENTRY.finditer(bib) if m["type"] not in NOT_ENTRIES] == ["x2020", "y"]


def test_bib_keys_are_unique():
    duplicates = [key for key, count in Counter(KEYS).items() if count > 1]
    assert KEYS and duplicates == []


@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_citation_resolves(name):
    unknown = sorted(set(CITED[name]) - set(KEYS))
    assert unknown == [], f"{name} cites keys that references.bib does not define: {unknown}"


def test_every_bib_entry_is_cited():
    cited = set().union(*map(set, CITED.values()))
    uncited = [key for key in KEYS if key not in cited]
    assert uncited == [], f"references.bib entries that no chapter cites: {uncited}"
