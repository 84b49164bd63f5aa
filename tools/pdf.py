"""Print the built book (_build/html) to one PDF with headless Chromium: ``make pdf``.

Each page of the book, in _toc.yml order, is printed by itself (so every chapter starts on a new page) once
MathJax has typeset it, with the network blocked (everything the book needs is in _build/html). The print CSS
in _static/book.css hides the sidebars, header and navigation; solutions are opened as for the browser's
Print (sphinx-togglebutton's ``beforeprint``). Pages are numbered through the book (a CSS page counter that
starts where the previous chapter ended). A generated contents page comes first, with each chapter's page
number and a link to it; pypdf merges the pages and adds bookmarks.

Usage: python tools/pdf.py [HTML_DIR] [OUT.pdf]     (defaults: _build/html _build/pdf/book.pdf)
"""

from __future__ import annotations

import html
import io
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import yaml
from playwright.sync_api import Browser, Page, sync_playwright
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link
from pypdf.generic import Fit

sys.path.insert(0, str(Path(__file__).resolve().parent))
import chromium  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SCALE = 0.8  # the pages' 16 px text prints at about 10 pt
MARGIN_MM = 16, 18  # left/right, top/bottom
PAGE_CSS = f"@page {{ size: A4; margin: {MARGIN_MM[1]}mm {MARGIN_MM[0]}mm; }}"
PX_TO_PT = 0.75  # 96 CSS px to the inch; PDF user space is 72 points to the inch
MM_TO_PT = 72 / 25.4


def numbered_from(first: int) -> str:
    """CSS that numbers the printed pages first, first + 1, ... at the foot of each page."""
    return (
        f"{PAGE_CSS} @page {{ @bottom-center {{ content: counter(page); font-size: 9pt; color: #555; }} }}"
        f" html {{ counter-reset: page {first - 1}; }}"
    )


@dataclass
class Chapter:
    docname: str  # chapters/adam
    part: str  # the _toc.yml caption, "" for the front page
    title: str = ""
    pages: int = 0
    first_page: int = 0  # 0-based page index in the book (the printed number is one more)


def toc_docnames(toc_path: Path = ROOT / "_toc.yml") -> list[tuple[str, str]]:
    """(docname, part caption) in reading order."""
    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    entries = [(toc["root"], "")]
    for part in toc.get("parts", []):
        entries += [(chapter["file"], part.get("caption", "")) for chapter in part["chapters"]]
    return entries


def book_title() -> str:
    return yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["title"]


def block_network(page: Page) -> None:
    page.route(
        "**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort()
    )


def ready_for_print(page: Page) -> str:
    """Wait for MathJax and the images, open the solutions; return the page's h1 text."""
    page.wait_for_load_state("load")
    page.evaluate("() => window.MathJax && MathJax.startup ? MathJax.startup.promise : null")
    page.evaluate(
        """() => Promise.all([...document.images].map(img => img.complete ? null :
               new Promise(done => { img.onload = img.onerror = done; })))"""
    )
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    heading = page.locator("article h1").first
    title = heading.inner_text() if heading.count() else page.title()
    return title.replace("#", "").strip()


def contents_html(title: str, chapters: list[Chapter]) -> str:
    rows, part = [], None
    for index, chapter in enumerate(chapters):
        if chapter.part != part and chapter.part:
            rows.append(f'<li class="part">{html.escape(chapter.part)}</li>')
        part = chapter.part
        rows.append(
            f'<li class="chapter"><a id="toc-{index}">{html.escape(chapter.title)}</a>'
            f'<span class="page">{chapter.first_page + 1}</span></li>'
        )
    return f"""<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><style>
{PAGE_CSS}
body {{ font-family: "Noto Sans CJK JP", "Noto Sans JP", sans-serif; font-size: 11pt; margin: 0; }}
h1 {{ font-size: 22pt; margin: 0 0 4mm; }}
p.subtitle {{ color: #555; margin: 0 0 10mm; }}
h2 {{ font-size: 15pt; border-bottom: 1px solid #999; padding-bottom: 2mm; }}
ul {{ list-style: none; padding: 0; }}
li.part {{ font-weight: bold; margin-top: 5mm; }}
li.chapter {{ display: flex; gap: 4mm; padding: 1mm 0 1mm 6mm; }}
li.chapter a {{ flex: 1; color: inherit; text-decoration: none; border-bottom: 1px dotted #bbb; }}
</style></head><body>
<h1>{html.escape(title)}</h1><p class="subtitle">実行できる教科書（HTML 版から印刷）</p>
<h2>目次</h2><ul>{"".join(rows)}</ul></body></html>"""


def print_pages(browser: Browser, html_dir: Path, chapters: list[Chapter]):
    """Print the contents page and each page; fill in the chapters' titles, page counts and first pages."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        block_network(page)
        printed, first = [], 1  # page 0 is the contents page (one page; checked below)
        for chapter in chapters:
            path = html_dir / f"{chapter.docname}.html"
            if not path.is_file():
                raise SystemExit(f"{path} がありません。先に make book を実行してください。")
            page.goto(path.resolve().as_uri())
            chapter.title = ready_for_print(page)
            page.add_style_tag(content=numbered_from(first + 1))
            pdf = PdfReader(
                io.BytesIO(page.pdf(prefer_css_page_size=True, scale=SCALE, print_background=True))
            )
            chapter.first_page, chapter.pages = first, len(pdf.pages)
            first += chapter.pages
            printed.append(pdf)

        page.goto("about:blank")
        page.set_content(contents_html(book_title(), chapters))
        anchors = page.evaluate(
            """() => [...document.querySelectorAll('li.chapter')].map(li => {
                   const r = li.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })"""
        )
        contents = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))
        if len(contents.pages) != 1:
            raise SystemExit(f"目次が {len(contents.pages)} ページになりました（1 ページの想定です）")
        return contents, printed, anchors
    finally:
        context.close()


def build(
    html_dir: Path, out: Path, docnames: list[str] | None = None, browser: Browser | None = None
) -> dict:
    """Print the pages of _toc.yml (or only `docnames`, in toc order) to `out`; return a summary.

    `browser`: a Playwright Chromium to print with (the tests pass theirs); by default one is started.
    """
    chapters = [Chapter(name, part) for name, part in toc_docnames() if docnames is None or name in docnames]
    started = time.perf_counter()
    if browser is None:
        executable = chromium.find()
        if executable is None:
            raise SystemExit(f"Chromium がありません。{chromium.INSTALL} でインストールしてください。")
        with sync_playwright() as playwright:
            own = playwright.chromium.launch(executable_path=executable)
            try:
                contents, printed, anchors = print_pages(own, html_dir, chapters)
            finally:
                own.close()
    else:
        contents, printed, anchors = print_pages(browser, html_dir, chapters)

    writer = PdfWriter()
    for pdf in [contents, *printed]:
        writer.append(pdf)
    height = float(writer.pages[0].mediabox.height)
    parents: dict[str, object] = {}
    for index, chapter in enumerate(chapters):
        parent = None
        if chapter.part:
            if chapter.part not in parents:
                parents[chapter.part] = writer.add_outline_item(
                    title=chapter.part, page_number=chapter.first_page
                )
            parent = parents[chapter.part]
        writer.add_outline_item(title=chapter.title, page_number=chapter.first_page, parent=parent)
        left, top, right, bottom = anchors[index]
        rect = (
            MARGIN_MM[0] * MM_TO_PT + left * PX_TO_PT,
            height - MARGIN_MM[1] * MM_TO_PT - bottom * PX_TO_PT,
            MARGIN_MM[0] * MM_TO_PT + right * PX_TO_PT,
            height - MARGIN_MM[1] * MM_TO_PT - top * PX_TO_PT,
        )
        writer.add_annotation(0, Link(rect=rect, target_page_index=chapter.first_page, fit=Fit.fit()))
    writer.add_metadata({"/Title": book_title(), "/Creator": "tools/pdf.py (Chromium + pypdf)"})
    writer.page_mode = "/UseOutlines"
    writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as handle:
        writer.write(handle)
    return {
        "pages": len(writer.pages),
        "chapters": [(chapter.title, chapter.first_page, chapter.pages) for chapter in chapters],
        "seconds": time.perf_counter() - started,
    }


def main(argv: list[str]) -> int:
    html_dir = Path(argv[0]) if argv else ROOT / "_build" / "html"
    out = Path(argv[1]) if len(argv) > 1 else ROOT / "_build" / "pdf" / "book.pdf"
    result = build(html_dir, out)
    pages, seconds, size = result["pages"], result["seconds"], out.stat().st_size / 1e6
    sources = len(result["chapters"])
    print(f"{out}: {pages} ページ、{size:.0f} MB（HTML の {sources} ページから、{seconds:.0f} 秒）")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
