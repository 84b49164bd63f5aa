"""The E資格 questions in the built book, offline, without a kernel: a chapter's quiz answers clicks,
and the mock exam draws 30 questions, counts down 35 minutes and scores by chapter.

The mock exam's clock is Playwright's fake clock, so that 35 minutes pass in an instant.
"""

from __future__ import annotations

import re

import pytest
from conftest import DESKTOP, PHONE, block_network, page_uri, wait_until_typeset


@pytest.fixture
def offline(browser):
    """offline(docname, width) -> (page, errors): a fresh offline page with a fake clock."""
    contexts = []

    def _open(docname: str, width: int = PHONE):
        context = browser.new_context(viewport={"width": width, "height": 900})
        contexts.append(context)
        block_network(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda message: message.type == "error" and errors.append(message.text))
        page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
        page.clock.install()
        page.goto(page_uri(docname))
        wait_until_typeset(page)
        return page, errors

    yield _open
    for context in contexts:
        context.close()


def test_a_chapter_quiz_answers_a_click_with_the_verdict_and_the_explanation(offline):
    page, errors = offline("chapters/momentum", PHONE)
    quiz = page.locator(".dlopt-exam-quiz")
    assert quiz.count() == 1
    questions = quiz.locator(".dlopt-exam-question")
    assert questions.count() >= 10
    first, second = questions.nth(0), questions.nth(1)
    assert first.locator(".dlopt-exam-explanation").is_hidden()

    answer = int(first.get_attribute("data-answer"))
    wrong = (answer + 1) % 4
    first.locator(".dlopt-exam-choice").nth(wrong).click()
    assert first.locator(".dlopt-exam-verdict").inner_text() == "不正解です。"
    assert first.locator(".dlopt-exam-explanation").is_visible()
    assert "is-right" in first.locator(".dlopt-exam-choice").nth(answer).get_attribute("class")
    assert "is-wrong" in first.locator(".dlopt-exam-choice").nth(wrong).get_attribute("class")

    second.locator(".dlopt-exam-choice").nth(int(second.get_attribute("data-answer"))).click()
    assert second.locator(".dlopt-exam-verdict").inner_text() == "正解です。"
    # the quiz's math is typeset by the book's own MathJax, offline; no raw TeX is left
    assert quiz.locator("mjx-container").count() > 0
    assert "\\(" not in quiz.inner_text()
    # the page fits a phone: the quiz does not widen it
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE
    assert errors == []


def test_every_chapter_has_its_quiz_before_the_summary(offline):
    page, _ = offline("chapters/adam", DESKTOP)
    headings = page.locator("h2").all_inner_texts()
    quiz_at = next(i for i, h in enumerate(headings) if "E資格 形式の確認問題" in h)
    assert "まとめ" in headings[quiz_at + 1]


def start(page):
    page.locator(".dlopt-exam-start").click()
    return page.locator(".dlopt-exam-mock .dlopt-exam-paper .dlopt-exam-question")


def test_the_mock_exam_draws_30_questions_times_35_minutes_and_scores_by_chapter(offline):
    page, errors = offline("chapters/exam_practice", DESKTOP)
    mock = page.locator(".dlopt-exam-mock")
    assert mock.get_attribute("data-state") == "ready"
    questions = start(page)
    assert questions.count() == 30
    assert mock.locator(".dlopt-exam-timer").inner_text() == "残り 35:00"
    numbers = [
        int(re.search(r"\d+", t).group()) for t in questions.locator(".dlopt-exam-number").all_inner_texts()
    ]
    assert numbers == list(range(1, 31))
    # a set's questions come together, right after their shared context
    for span in mock.locator(".dlopt-exam-span").all_inner_texts():
        first, *last = map(int, re.findall(r"\d+", span))
        assert 1 <= first <= (last[0] if last else first) <= 30

    # the explanations stay hidden while the exam runs; answer ten questions right, one wrong
    assert questions.nth(0).locator(".dlopt-exam-explanation").is_hidden()
    for i in range(10):
        q = questions.nth(i)
        q.locator(".dlopt-exam-choice").nth(int(q.get_attribute("data-answer"))).click()
    q = questions.nth(10)
    q.locator(".dlopt-exam-choice").nth((int(q.get_attribute("data-answer")) + 1) % 4).click()
    assert mock.locator(".dlopt-exam-progress").inner_text() == "解答済み 11 / 30"
    assert questions.nth(0).locator(".dlopt-exam-verdict").inner_text() == ""

    page.clock.run_for(10 * 60 * 1000)
    assert mock.locator(".dlopt-exam-timer").inner_text() in ("残り 25:00", "残り 24:59")
    mock.locator(".dlopt-exam-finish").click()
    assert mock.get_attribute("data-state") == "graded"
    assert mock.locator(".dlopt-exam-score").inner_text() == "得点 10 / 30（33%）"
    rows = mock.locator(".dlopt-exam-by-chapter tbody tr").all_inner_texts()
    asked = sum(int(re.search(r"/ (\d+)", row).group(1)) for row in rows)
    right = sum(int(re.search(r"(\d+) /", row).group(1)) for row in rows)
    assert (asked, right) == (30, 10)
    assert questions.nth(10).locator(".dlopt-exam-verdict").inner_text() == "不正解です。"
    assert questions.nth(29).locator(".dlopt-exam-explanation").is_visible()
    assert errors == []


def test_the_mock_exam_ends_when_the_time_is_up_and_draws_again(offline):
    page, errors = offline("chapters/exam_practice", PHONE)
    mock = page.locator(".dlopt-exam-mock")
    first_draw = [q.get_attribute("id") for q in start(page).all()]
    page.clock.run_for(35 * 60 * 1000 + 1000)
    assert mock.get_attribute("data-state") == "graded"
    assert mock.locator(".dlopt-exam-score").inner_text().startswith("時間切れです。得点 0 / 30")
    second_draw = [q.get_attribute("id") for q in start(page).all()]
    assert len(second_draw) == 30 and second_draw != first_draw
    assert mock.get_attribute("data-state") == "running"
    # the page's clock keeps running in real time: the restarted countdown is at most a second in
    assert mock.locator(".dlopt-exam-timer").inner_text() in ("残り 35:00", "残り 34:59")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE
    assert errors == []
