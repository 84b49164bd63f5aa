"""The pages made from the question bank: the chapter quiz, the mock exam, and the instructors' export.

What a reader clicks is tested in Chromium (tests/browser/test_browser_exam.py); here: the Markdown
subset, that every question is on its page with four buttons and its key, that the HTML is the same
bytes every time (nbval compares it), and that an export without answers holds no answer.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import nbformat
import pytest

from dlopt import exam
from dlopt.exam import export
from dlopt.exam.bank import CHAPTERS, LABELS


def test_markdown_math_code_bold_lists_and_tables():
    html = exam.markdown_to_html(
        "式 $a < b$ と **太字** と `x<y`。\n\n$$\\eta_t$$\n\n- 一\n- 二\n\n"
        "| a | b |\n|---|---|\n| 1 | $2$ |\n\n"
        "```python\nif a < b:\n    【あ】\n```"
    )
    assert r"<p>式 \(a &lt; b\) と <strong>太字</strong> と <code>x&lt;y</code>。</p>" in html
    assert r"\[\eta_t\]" in html
    assert "<ul><li>一</li><li>二</li></ul>" in html
    assert "<th>a</th>" in html and r"<td>\(2\)</td>" in html and "|---|" not in html
    assert (
        '<pre class="dlopt-exam-code"><code>if a &lt; b:\n    <span class="dlopt-exam-blank">【あ】</span>'
        in html
    )


def test_text_that_looks_like_html_is_escaped():
    assert "<script>" not in exam.markdown_to_html("<script>alert(1)</script> & $x<y$")


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_a_chapter_quiz_shows_every_question_with_four_choices_and_its_key(chapter):
    found = exam.questions(chapter)
    quiz = exam.quiz(chapter)
    assert quiz.html == exam.quiz(chapter).html  # deterministic: nbval compares it
    assert quiz.html.count('class="dlopt-exam-question"') == len(found)
    assert quiz.html.count('class="dlopt-exam-choice"') == 4 * len(found)
    answers = re.findall(r'data-answer="(\d)"', quiz.html)
    # numbered in the order shown: a set's questions together, right after its context
    shown = [q for unit in exam.render._units(found) for q in unit]
    assert answers == [str(q.answer) for q in shown]
    key = re.search(r'<p class="dlopt-exam-answers">解答：(.*?)</p>', quiz.html).group(1)
    assert key == "、".join(f"問 {n} {LABELS[q.answer]}" for n, q in enumerate(shown, start=1))
    body = quiz.html.split("<script>")[0]  # the script builds contexts too (the mock exam's)
    assert body.count('<div class="dlopt-exam-context">') == len({q.group for q in found if q.group})
    assert f"{len(found)} 問" in repr(quiz)


def test_the_quiz_scripts_are_the_only_scripts_and_load_nothing_in_the_book():
    html = exam.quiz("adam").html
    assert html.count("<script") == 1 and "src=" not in html.split("<script>", 1)[0]
    assert "googleusercontent" in html  # MathJax is fetched only inside a Colab output


def test_the_mock_exam_holds_the_whole_bank_as_json():
    mock = exam.mock_exam()
    assert mock.html == exam.mock_exam().html
    payload = re.search(r'<script type="application/json" id="([^"]+)-data">(.*?)</script>', mock.html, re.S)
    data = json.loads(payload.group(2))
    assert [q["id"] for q in data["questions"]] == [q.id for q in exam.questions()]
    assert set(data["groups"]) == {q.group for q in exam.questions() if q.group}
    assert data["chapters"] == list(CHAPTERS)
    assert re.search(r"dloptExamMock\(\"[^\"]+\", 30, 2100\)", mock.html)  # 30 questions, 35 minutes
    assert "制限時間は 35 分" in mock.html


def test_the_mock_exam_can_be_made_of_30_questions_with_whole_sets():
    """The draw (in the page) takes whole sets while they fit: the sets are small enough for 30."""
    sizes = [len(unit) for unit in exam.render._units(exam.questions())]
    assert max(sizes) <= 5 and sizes.count(1) >= 30


@pytest.mark.parametrize(("n", "minutes"), [(0, 35), (10_000, 35), (30, 0), (30, -1), ("30", 35)])
def test_a_bad_mock_exam_is_refused_by_name(n, minutes):
    with pytest.raises(ValueError, match="n" if n in (0, 10_000, "30") else "minutes"):
        exam.mock_exam(n=n, minutes=minutes)


def test_an_export_without_answers_holds_none():
    found = export.select(["adam"])
    page = export.to_html(found)
    assert "解答と解説" not in page and "正解" not in page and "data-answer" not in page
    for q in found:
        assert q.explanation[:30] not in page
    keyed = export.to_html(found, answers=True)
    assert "解答と解説" in keyed and all(f"（{q.label}）" in keyed for q in found)


def test_an_exported_notebook_is_valid_and_without_answers():
    found = export.select(kind="code")
    notebook = nbformat.reads(export.to_notebook(found), as_version=4)
    nbformat.validate(notebook)
    text = "".join(cell.source for cell in notebook.cells)
    asked = [c for c in notebook.cells if re.match(r"\*\*問 \d+\*\* ", c.source)]
    assert "解答と解説" not in text and len(asked) == len(found)
    keyed = nbformat.reads(export.to_notebook(found, answers=True), as_version=4)
    assert "解答と解説" in "".join(cell.source for cell in keyed.cells)


def test_asking_for_one_question_of_a_set_brings_the_set():
    grouped = next(q for q in exam.questions() if q.group)
    found = export.select(ids=[grouped.id])
    assert {q.id for q in found} == {q.id for q in exam.questions() if q.group == grouped.group}
    with pytest.raises(ValueError, match="ids"):
        export.select(ids=["no-such-question"])


def test_the_command_line_lists_and_exports(tmp_path):
    listed = subprocess.run(
        [sys.executable, "-m", "dlopt.exam", "list"], capture_output=True, text=True, check=True
    ).stdout
    assert re.search(rf"total\s.*\s{len(exam.questions())}$", listed.strip())
    out = tmp_path / "set.ipynb"
    done = subprocess.run(
        [sys.executable, "-m", "dlopt.exam", "export", "--chapter", "sgd", "-o", str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "解答なし" in done.stdout and nbformat.read(out, as_version=4).cells
    bad = subprocess.run(
        [sys.executable, "-m", "dlopt.exam", "export", "--chapter", "sgd", "-o", str(tmp_path / "set.txt")],
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2 and "--format" in bad.stderr
