"""`make pdf` (tools/pdf.py): one PDF, a contents page first, every chapter on a new page, math typeset,
fonts embedded and Japanese text extractable.

The whole book takes about a minute to print, so the suite prints two chapters with the same code; after
`make pdf`, the whole book's PDF is checked too.
"""

from __future__ import annotations

import re
import sys
import unicodedata

import pytest
from conftest import HTML, ROOT

sys.path.insert(0, str(ROOT / "tools"))
import pdf  # noqa: E402

pypdf = pytest.importorskip("pypdf")

SAMPLE = ["chapters/notation", "chapters/references"]  # short pages with math, 学習率 and the bibliography


def _fonts(reader) -> dict[str, dict]:
    fonts = {}
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            fonts[f"{font.get('/BaseFont')}#{id(font)}"] = font
    return fonts


def _embedded(font) -> bool:
    if font.get("/Subtype") == "/Type3":  # glyphs drawn by the PDF itself (how Chromium embeds CFF fonts)
        return "/CharProcs" in font
    if "/DescendantFonts" in font:
        font = font["/DescendantFonts"][0].get_object()
    descriptor = font.get("/FontDescriptor")
    return descriptor is not None and any(
        k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")
    )


def _text(page) -> str:
    # Chromium maps some kanji of Noto CJK to the Kangxi radicals (⽬ for 目) in the PDF's ToUnicode; NFKC
    # folds them back.
    return unicodedata.normalize("NFKC", page.extract_text())


def _outline(items) -> list[str]:
    """The bookmarks' titles, depth first."""
    titles = []
    for item in items:
        titles += _outline(item) if isinstance(item, list) else [item["/Title"]]
    return titles


def _words(text: str) -> str:
    return re.sub(r"\W", "", text)  # "・" comes back as "‧"; spaces and line breaks move


@pytest.fixture(scope="module")
def sample_pdf(browser, tmp_path_factory):
    out = tmp_path_factory.mktemp("pdf") / "sample.pdf"
    result = pdf.build(HTML, out, docnames=SAMPLE, browser=browser)
    reader = pypdf.PdfReader(out)
    return reader, result, [_text(page) for page in reader.pages]


def test_contents_page_then_each_chapter_on_a_new_page(sample_pdf):
    reader, result, texts = sample_pdf
    chapters = result["chapters"]
    assert len(reader.pages) == 1 + sum(pages for _, _, pages in chapters) == result["pages"]
    contents = _words(texts[0])
    assert "目次" in contents
    for title, first_page, _ in chapters:
        assert _words(title) in contents
        top = unicodedata.normalize("NFKC", reader.pages[first_page].extract_text(extraction_mode="layout"))
        assert _words(top).startswith(_words(title)), f"{title} does not start a page"
    assert [title for title, _, _ in chapters] == [t for t in _outline(reader.outline) if t != "付録"]


def test_fonts_are_embedded_and_japanese_is_extractable(sample_pdf):
    reader, _, texts = sample_pdf
    fonts = _fonts(reader)
    assert fonts
    assert [name for name, font in fonts.items() if not _embedded(font)] == []
    text = "".join(texts)
    assert "学習率" in text
    assert "重み減衰" in text


def test_math_is_typeset_not_tex(sample_pdf):
    _, _, texts = sample_pdf
    text = "".join(texts)
    # MathJax's SVG formulas print as drawings: the TeX source (Sphinx writes \( ... \)) must be gone
    for tex in ("\\(", "\\[", "\\theta", "$O(1/k"):
        assert tex not in text
    assert "Nesterov" in text  # the bibliography was printed


def test_the_whole_book_after_make_pdf():
    book = ROOT / "_build" / "pdf" / "book.pdf"
    if not book.exists() or book.stat().st_mtime < (HTML / "index.html").stat().st_mtime:
        pytest.skip("make pdf で作った最新の _build/pdf/book.pdf がありません")
    reader = pypdf.PdfReader(book)
    titles = _outline(reader.outline)
    assert len(reader.pages) > 100
    assert {"準備", "付録", "参考文献"} <= set(titles)
    assert "学習率" in "".join(_text(reader.pages[i]) for i in range(1, 6))
    images = sum(len(page["/Resources"].get("/XObject") or {}) for page in reader.pages)
    assert images > 40, "the figures should be in the PDF"
