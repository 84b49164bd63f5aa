"""The E資格 question bank (dlopt.exam): its counts, its format, and every key proven.

The keys live in tests/exam_cases/<chapter>.py: ``CALCULATIONS`` recomputes the value each calculation
question's keyed choice shows; ``CODE_CHECKS`` checks a group's listing filled in. For a code question,
each of its four choices is written into its blank (the group's other blanks get their keyed choices)
and executed: the keyed choice must pass the check and every other choice must fail it.
"""

from __future__ import annotations

import importlib
import math
import re
from collections import Counter

import numpy as np
import pytest

import dlopt
from dlopt import exam
from dlopt.exam.bank import BLANKS, CHAPTERS, LABELS

QUESTIONS = exam.questions()
GROUPS = exam.groups()
ALGORITHM_CHAPTERS = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw")


def cases(chapter: str):
    return importlib.import_module(f"exam_cases.{chapter}")


# --- counts --------------------------------------------------------------------------------------


def test_the_bank_has_at_least_120_questions():
    assert len(QUESTIONS) >= 120, len(QUESTIONS)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_chapter_has_at_least_six_questions(chapter):
    assert len(exam.questions(chapter)) >= 6


def test_the_kinds_are_there():
    kinds = Counter(q.kind for q in QUESTIONS)
    assert kinds["code"] >= 30, kinds
    assert kinds["calculation"] >= 25, kinds
    assert kinds["concept"] > 0 and kinds["formula"] > 0, kinds


def test_the_chapters_follow_the_book():
    toc = re.findall(r"file: chapters/(\w+)", open("_toc.yml", encoding="utf-8").read())
    assert [c for c in toc if c in CHAPTERS] == list(CHAPTERS)


def test_the_answer_positions_are_balanced():
    """Each of the four positions holds 20–30 % of the keys, and no chapter leans on one position."""
    share = Counter(q.answer for q in QUESTIONS)
    for position in range(4):
        assert 0.20 <= share[position] / len(QUESTIONS) <= 0.30, share
    for chapter in CHAPTERS:
        counts = Counter(q.answer for q in exam.questions(chapter))
        assert max(counts.values()) <= math.ceil(len(exam.questions(chapter)) / 4) + 1, (chapter, counts)


def test_the_code_questions_come_in_sets_and_every_keyword_is_trained():
    sizes = Counter(q.group for q in QUESTIONS if q.kind == "code")
    assert sum(n for n in sizes.values() if n >= 2) >= 20, sizes  # most code questions share a listing
    assert {q.keyword for q in QUESTIONS} == set(exam.KEYWORDS)


def test_the_class_form_and_pytorch_form_are_both_drilled():
    listings = [GROUPS[g].context for g in {q.group for q in QUESTIONS if q.kind == "code"}]
    assert sum("def update(self, params, grads)" in text for text in listings) >= 7
    assert sum("torch" in text for text in listings) >= 2


def test_the_questions_filter_by_chapter_and_kind():
    assert all(q.chapter == "adam" and q.kind == "code" for q in exam.questions("adam", "code"))
    assert len(exam.questions(kind="code")) == sum(q.kind == "code" for q in QUESTIONS)


@pytest.mark.parametrize(("argument", "value"), [("chapter", "adamx"), ("kind", "essay")])
def test_an_unknown_chapter_or_kind_is_refused_by_name(argument, value):
    with pytest.raises(ValueError, match=argument):
        exam.questions(**{argument: value})


# --- the format ----------------------------------------------------------------------------------


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.id)
def test_the_explanation_speaks_of_every_wrong_choice(question):
    """The explanation says why each other choice is wrong: it names every label （ア）…（エ）."""
    for label in LABELS:
        assert f"（{label}）" in question.explanation, (question.id, label)


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.id)
def test_no_myst_roles_in_the_text(question):
    for text in (question.stem, question.explanation, *question.choices):
        assert not re.search(r"\{(term|doc|ref|cite|numref)\}`", text), question.id


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.id)
def test_the_math_delimiters_are_balanced(question):
    for text in (question.stem, question.explanation, *question.choices):
        assert text.replace("$$", "").replace(r"\$", "").count("$") % 2 == 0, (question.id, text)


def test_a_bad_record_is_refused_naming_the_question_and_key():
    from dlopt.exam.bank import _question

    good = {
        "id": "sgd-x",
        "kind": "concept",
        "keyword": "学習率",
        "difficulty": 1,
        "stem": "s",
        "choices": ["a", "b", "c", "d"],
        "answer": 0,
        "explanation": "e",
    }
    assert _question("sgd", good, {}).label == "ア"
    for change, said in (
        ({"choices": ["a", "a", "c", "d"]}, "同じ"),
        ({"answer": 4}, "answer"),
        ({"keyword": "Lion"}, "keyword"),
        ({"choices": ["a", "b", "c"]}, "4"),
        ({"kind": "essay"}, "kind"),
        ({"choices": ["a", "b", "c", "すべて正しい"]}, "すべて"),
        ({"group": "sgd-none"}, "group"),
    ):
        with pytest.raises(ValueError, match=said) as raised:
            _question("sgd", {**good, **change}, {})
        assert "sgd/sgd-x" in str(raised.value)


# --- calculation keys ----------------------------------------------------------------------------

_NUMBER = re.compile(r"([-−]?\d+(?:\.\d+)?)(?:\s*\\times\s*10\^\{?([-−]?\d+)\}?)?")


def shown_numbers(choice: str) -> list[tuple[float, float]]:
    """The numbers a calculation choice shows, each with half a unit of its last shown digit."""
    text = choice.replace("$", "").replace("{,}", "").replace(r"\,", "").replace(r"\!", "")
    found = []
    for mantissa, exponent in _NUMBER.findall(text):
        mantissa = mantissa.replace("−", "-")
        decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
        scale = 10.0 ** int(exponent.replace("−", "-")) if exponent else 1.0
        found.append((float(mantissa) * scale, 0.5 * 10.0**-decimals * scale))
    return found


def test_numbers_are_read_with_their_precision():
    assert shown_numbers(r"$3.16 \times 10^{-2}$") == [(0.0316, 0.5e-2 * 1e-2)]
    assert shown_numbers("$(0.5,\\ -0.25)$") == [(0.5, 0.05), (-0.25, 0.005)]
    assert shown_numbers("65.1%") == [(65.1, 0.05)]


def matches(value: tuple[float, ...], shown: list[tuple[float, float]]) -> bool:
    return len(value) == len(shown) and all(
        abs(v - s) <= half * (1 + 1e-9) + 1e-15 for v, (s, half) in zip(value, shown, strict=True)
    )


CALCULATIONS = [q for q in QUESTIONS if q.kind == "calculation"]


@pytest.mark.parametrize("question", CALCULATIONS, ids=lambda q: q.id)
def test_a_calculation_key_is_recomputed(question):
    compute = cases(question.chapter).CALCULATIONS[question.id]
    value = compute()
    value = tuple(float(v) for v in (value if isinstance(value, (tuple, list)) else (value,)))
    assert all(map(math.isfinite, value)), value
    for index, choice in enumerate(question.choices):
        shown = shown_numbers(choice)
        assert shown, f"{question.id}: no number in choice {choice!r}"
        if index == question.answer:
            assert matches(value, shown), f"{question.id}: key {choice!r} vs computed {value}"
        else:
            assert not matches(value, shown), f"{question.id}: wrong choice {choice!r} equals {value}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_calculation_has_its_computation(chapter):
    wanted = {q.id for q in exam.questions(chapter, "calculation")}
    assert set(getattr(cases(chapter), "CALCULATIONS", {})) == wanted


# --- code keys -----------------------------------------------------------------------------------


def listing(group: str) -> str:
    blocks = re.findall(r"```python\n(.*?)```", GROUPS[group].context, flags=re.S)
    assert len(blocks) == 1, f"{group}: one ```python listing expected"
    return blocks[0]


def fill(code: str, answers: dict[str, str]) -> str:
    """``code`` with each blank replaced by its answer; a multi-line answer keeps the blank's indent."""

    def replace(match):
        indent, blank = match.group(1), match.group(2)
        return indent + answers[blank].replace("\n", "\n" + indent.lstrip("\n"))

    pattern = "(\n?[ \t]*)(" + "|".join(map(re.escape, BLANKS)) + ")"
    return re.sub(pattern, replace, code)


def run_filled(question, choice: int) -> None:
    members = [q for q in QUESTIONS if q.group == question.group and q.blank]
    answers = {q.blank: q.choices[q.answer] for q in members}
    answers[question.blank] = question.choices[choice]
    code = fill(listing(question.group), answers)
    import torch

    namespace = {"np": np, "torch": torch, "dlopt": dlopt, "__name__": "exam_listing"}
    exec(compile(code, f"<{question.group}>", "exec"), namespace)
    cases(question.chapter).CODE_CHECKS[question.group](namespace)


CODE = [q for q in QUESTIONS if q.kind == "code"]


@pytest.mark.parametrize("question", CODE, ids=lambda q: q.id)
def test_a_code_key_passes_and_every_other_choice_fails(question):
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    run_filled(question, question.answer)
    for choice in range(4):
        if choice == question.answer:
            continue
        torch.manual_seed(0)
        try:
            run_filled(question, choice)
        except Exception:  # noqa: BLE001  (wrong code may fail in any way: that is the point)
            continue
        pytest.fail(f"{question.id}: wrong choice （{LABELS[choice]}） {question.choices[choice]!r} passes")


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_listing_has_its_check_and_every_blank_its_question(chapter):
    with_code = {q.group for q in exam.questions(chapter, "code")}
    assert set(getattr(cases(chapter), "CODE_CHECKS", {})) == with_code
    for group in with_code:
        blanks = [b for b in BLANKS if b in listing(group)]
        asked = sorted(q.blank for q in QUESTIONS if q.group == group and q.kind == "code")
        assert sorted(blanks) == asked, (group, blanks, asked)


@pytest.mark.parametrize("chapter", ALGORITHM_CHAPTERS)
def test_algorithm_chapters_have_ten_questions_three_of_them_code(chapter):
    found = Counter(q.kind for q in exam.questions(chapter))
    assert sum(found.values()) >= 10 and found["code"] >= 3 and found["calculation"] >= 2, found
