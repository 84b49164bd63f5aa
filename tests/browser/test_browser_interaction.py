"""What a reader does: open the chapter list on a phone, collapse the sidebar, open a solution, search."""

from __future__ import annotations

import re

from conftest import DESKTOP, PHONE

CHAPTER = "chapters/sgd"


def _open_phone_dialog(open_page, toggle: str, dialog_id: str, what: str):
    """Click a header button on a phone and return the dialog it must open."""
    page = open_page(CHAPTER, PHONE)
    button = page.locator(f".bd-header-article {toggle}")
    assert button.is_visible(), f"the {what} button is not visible at 390 px"
    button.click()
    dialog = page.locator(dialog_id)
    dialog.wait_for(state="visible", timeout=3000)
    return page, dialog


def test_phone_menu_opens_the_chapter_list(open_page):
    page, dialog = _open_phone_dialog(open_page, ".primary-toggle", "#pst-primary-sidebar-modal", "☰")
    assert dialog.evaluate("d => d.open")
    links = dialog.locator("nav.bd-docs-nav a.reference.internal")
    assert links.count() >= 10, "the chapter list should list the chapters"
    assert dialog.get_by_text("Adam", exact=False).first.is_visible()
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden", timeout=3000)


def test_phone_page_contents_button_opens(open_page):
    _, dialog = _open_phone_dialog(
        open_page, ".secondary-toggle", "#pst-secondary-sidebar-modal", "page-contents"
    )
    assert dialog.locator("a.nav-link").count() >= 5, "the page's sections should be listed"


def test_desktop_button_collapses_and_restores_the_sidebar(open_page):
    page = open_page(CHAPTER, DESKTOP)
    sidebar = page.locator("#pst-primary-sidebar")
    assert sidebar.is_visible()
    toggle = page.locator(".bd-header-article .primary-toggle")
    toggle.click()
    page.wait_for_function(
        "() => !document.getElementById('pst-primary-sidebar').checkVisibility({visibilityProperty: true})"
    )
    assert not page.locator("#pst-primary-sidebar-modal").evaluate("d => d.open"), "no dialog on a desktop"
    toggle.click()
    page.wait_for_function(
        "() => document.getElementById('pst-primary-sidebar').checkVisibility({visibilityProperty: true})"
    )


def test_solutions_start_hidden_and_open_on_click(open_page):
    page = open_page(CHAPTER, DESKTOP)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    solutions = page.locator(".solution.dropdown")
    assert solutions.count() >= 2
    for index, target in enumerate(("button", "title text")):
        solution = solutions.nth(index)
        body = solution.locator("section").first
        assert solution.is_visible() and body.is_hidden(), "a solution should start hidden"
        if target == "button":
            solution.locator(".toggle-button").click()
        else:  # the title's text is a link to the exercise: it opens the solution too
            solution.locator(".admonition-title a").first.click()
        body.wait_for(state="visible", timeout=3000)
    assert errors == []


def test_japanese_search_finds_learning_rate(open_page):
    page = open_page("search", DESKTOP)
    box = page.locator("input[name='q']:visible").first
    box.fill("学習率")
    box.press("Enter")
    page.wait_for_url(re.compile(r"search\.html\?q="))
    results = page.locator("#search-results ul.search li")
    results.first.wait_for(timeout=15000)
    # Sphinx lists the hits first and fills in each page's excerpt as it is fetched, so the
    # text that holds the word can arrive after the list: wait for it rather than race it.
    page.wait_for_function(
        """() => {
            const hits = [...document.querySelectorAll('#search-results ul.search li')];
            return hits.length >= 5 && hits.some(li => li.innerText.includes('学習率'));
        }""",
        timeout=15000,
    )
    found = results.all_inner_texts()
    assert len(found) >= 5, found
    assert any("学習率" in text for text in found)
