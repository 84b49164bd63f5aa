"""The built book (_build/html) in headless Chromium, at a phone's width and a desktop's, network blocked.

Debian's ``chromium`` is driven by the ``playwright`` pip package (``executable_path``); Playwright's own
browser download is not used. Without Chromium the browser tests are skipped (``make test`` says so in one
line). Build the book first (``make book``; ``make test`` does).

One browser for the session. The ``survey`` fixture opens every page of the book once per width and
measures everything the page-level tests assert (math, clipping, code blocks, figures, console errors),
so that the suite stays fast; the interaction tests (navigation, solutions, search) open their own pages.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"
sys.path.insert(0, str(ROOT / "tools"))
import chromium  # noqa: E402

PHONE, DESKTOP = 390, 1280
WIDTHS = (PHONE, DESKTOP)


def toc_docnames() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    return [toc["root"]] + [chapter["file"] for part in toc.get("parts", []) for chapter in part["chapters"]]


DOCNAMES = toc_docnames()


def page_uri(docname: str) -> str:
    return (HTML / f"{docname}.html").as_uri()


def block_network(target) -> None:
    """Abort every request that is not for a file: the book must work offline."""
    target.route(
        "**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort()
    )


def wait_until_typeset(page) -> None:
    page.wait_for_load_state("load")
    page.evaluate("() => window.MathJax && MathJax.startup ? MathJax.startup.promise : null")


@pytest.fixture(scope="session")
def html_dir() -> Path:
    if not (HTML / "index.html").is_file():
        pytest.fail(f"{HTML} に本がありません。先に make book を実行してください。")
    return HTML


@pytest.fixture(scope="session")
def chromium_browser():
    """One Chromium for the whole session (playwright's sync API allows one running instance)."""
    executable = chromium.find()
    if executable is None:
        pytest.skip(f"Chromium がありません（{chromium.INSTALL}）")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def browser(html_dir, chromium_browser):
    """The session's Chromium, once the built book is there."""
    return chromium_browser


@pytest.fixture
def open_page(browser):
    """open_page(docname, width) -> a fresh offline page (its own context: a first visit)."""
    contexts = []

    def _open(docname: str, width: int = PHONE, typeset: bool = False):
        context = browser.new_context(viewport={"width": width, "height": 900})
        contexts.append(context)
        block_network(context)
        page = context.new_page()
        page.goto(page_uri(docname))
        if typeset:
            wait_until_typeset(page)
        return page

    yield _open
    for context in contexts:
        context.close()


SURVEY_JS = (Path(__file__).parent / "survey.js").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def survey(browser) -> dict[tuple[int, str], dict]:
    """{(width, docname): measurements} for every page of the book at both widths, offline.

    Each page is loaded once, at 390 px, measured, widened to 1280 px and measured again: MathJax's SVG
    output does not depend on the width, and typesetting is what takes the time.
    """
    context = browser.new_context(viewport={"width": PHONE, "height": 900})
    block_network(context)
    page = context.new_page()
    log: list[str] = []
    page.on("console", lambda message: message.type == "error" and log.append(message.text))
    page.on("pageerror", lambda error: log.append(f"uncaught: {error}"))
    results = {}
    for docname in DOCNAMES:
        start = len(log)
        page.set_viewport_size({"width": PHONE, "height": 900})
        page.goto(page_uri(docname))
        wait_until_typeset(page)
        page.evaluate(
            """() => Promise.all([...document.images].map(img => img.complete ? null :
                   new Promise(done => { img.onload = img.onerror = done; })))"""
        )
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            results[(width, docname)] = {**page.evaluate(SURVEY_JS), "errors": []}
        results[(PHONE, docname)]["errors"] = log[start:]
    context.close()
    return results
