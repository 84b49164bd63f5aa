"""The three interactive figures of dlopt.interactive in headless Chromium, offline, without a kernel.

A standalone page with the three figures is written to a temporary folder (the built book is not
needed). Every slider is moved (value set, 'input' dispatched): the drawing and the value shown change,
and the page logs no error.
"""

from __future__ import annotations

import re

import pytest
from conftest import block_network

from dlopt import interactive


@pytest.fixture(scope="module")
def page_file(tmp_path_factory):
    figures = [interactive.learning_rate_stability(), interactive.momentum_paths(), interactive.adam_betas()]
    body = "".join(f"<h2>{i}</h2>{fig.html}" for i, fig in enumerate(figures))
    path = tmp_path_factory.mktemp("interactive") / "figures.html"
    head = '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"></head>'
    path.write_text(f"{head}<body>{body}</body></html>", encoding="utf-8")
    return path, [fig.ident for fig in figures]


@pytest.fixture(scope="module")
def offline_page(page_file, chromium_browser):
    path, idents = page_file
    context = chromium_browser.new_context(viewport={"width": 900, "height": 1400})
    block_network(context)
    page = context.new_page()
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
    page.on("request", lambda request: requests.append(request.url))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    yield page, idents, errors, requests
    context.close()


def snapshot(page, ident: str) -> dict:
    return page.evaluate(
        """id => {
            const root = document.getElementById(id);
            return {
                lines: [...root.querySelectorAll('polyline')].map(l => l.getAttribute('points')),
                outputs: [...root.querySelectorAll('output')].map(o => o.textContent),
                status: document.getElementById(id + '-status').textContent,
            };
        }""",
        ident,
    )


def move(page, slider_id: str, value: int) -> None:
    page.evaluate(
        """([id, v]) => { const s = document.getElementById(id); s.value = v;
                          s.dispatchEvent(new Event('input', {bubbles: true})); }""",
        [slider_id, value],
    )


def test_script_drawing_matches_python_drawing(offline_page):
    """The script redraws on load; what it draws equals the SVG Python wrote (same numbers, same rounding)."""
    page, idents, errors, _ = offline_page
    for ident, fig in zip(idents, (interactive.learning_rate_stability(), interactive.momentum_paths(),
                                   interactive.adam_betas()), strict=True):
        python_lines = re.findall(r'<polyline id="[^"]+" points="([^"]*)"', fig.html)
        assert snapshot(page, ident)["lines"] == python_lines
    assert errors == []


def test_every_slider_redraws(offline_page):
    page, idents, errors, requests = offline_page
    for ident in idents:
        sliders = page.locator(f"#{ident} input[type=range]")
        assert sliders.count() >= 1
        for index in range(sliders.count()):
            slider = sliders.nth(index)
            assert slider.is_visible()
            slider_id = slider.get_attribute("id")
            before = snapshot(page, ident)
            current = int(slider.input_value())
            target = 0 if current != 0 else int(slider.get_attribute("max"))
            move(page, slider_id, target)
            after = snapshot(page, ident)
            assert after["lines"] != before["lines"], f"{slider_id}: the drawing did not change"
            assert after["outputs"][index] != before["outputs"][index], f"{slider_id}: the value shown"
            assert after["status"] != before["status"]
            move(page, slider_id, current)
            assert snapshot(page, ident) == before, f"{slider_id}: moving back does not restore the drawing"
    assert errors == []
    assert all(url.startswith("file:") for url in requests), requests


def test_regime_follows_the_learning_rate(offline_page):
    page, idents, _, _ = offline_page
    ident = idents[0]
    slider = page.locator(f"#{ident}-s0")
    for value, word in (("0.3", "単調"), ("0.75", "振動しながら収束"), ("1", "振動（"), ("1.1", "発散")):
        index = interactive.learning_rate_stability().data["sliders"][0]["labels"].index(value)
        move(page, slider.get_attribute("id"), index)
        state = snapshot(page, ident)
        assert state["outputs"][0] == value
        assert word in state["status"]


@pytest.mark.parametrize(
    "docname, figure",
    [("chapters/gradient_descent", interactive.learning_rate_stability),
     ("chapters/momentum", interactive.momentum_paths),
     ("chapters/adam", interactive.adam_betas)],
)
def test_the_chapters_figures_work_in_the_built_book_offline(open_page, docname, figure):
    """The figure stored in the chapter's outputs redraws in the built HTML, with the network blocked."""
    page = open_page(docname, width=1280)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    ident = figure().ident
    page.wait_for_selector(f"#{ident} input[type=range]")
    slider_id = page.locator(f"#{ident} input[type=range]").first.get_attribute("id")
    before = snapshot(page, ident)
    move(page, slider_id, 0)
    assert snapshot(page, ident)["lines"] != before["lines"]
    assert errors == []
