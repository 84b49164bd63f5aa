"""The 穴埋め in the exam's class form (``<chapter>_class``, graded with classes, not functions).

Each algorithm chapter's table in tests/exam_cases/<chapter>.py names its problem (``DRILL``), right
classes written otherwise (``DRILL_CORRECT``: ゼロから作る's own code among them) and typical mistakes
(``DRILL_MISTAKES``), each a whole class with one mistake. Every mistake must be rejected, and by a clear
margin: in the graded inputs its largest gap is at least 100 × the grader's tolerance.
"""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path

import numpy as np
import pytest

import dlopt
from dlopt.exercises import PROBLEMS, check

ALGORITHM_CHAPTERS = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw")
CLASS_PROBLEMS = [name for name, problem in PROBLEMS.items() if problem.adapter is not None]
ROOT = Path(__file__).resolve().parents[1]


def table(chapter: str):
    return importlib.import_module(f"exam_cases.{chapter}")


def rows(attribute: str) -> list:
    return [
        pytest.param(chapter, key, cls, id=f"{chapter}-{key}")
        for chapter in ALGORITHM_CHAPTERS
        for key, cls in getattr(table(chapter), attribute, {}).items()
    ]


@pytest.mark.parametrize("chapter", ALGORITHM_CHAPTERS)
def test_every_algorithm_chapter_has_a_class_drill(chapter):
    module = table(chapter)
    assert module.DRILL == f"{chapter}_class" and module.DRILL in CLASS_PROBLEMS
    assert PROBLEMS[module.DRILL].reference.__module__ == f"dlopt.exercises.{chapter}"
    assert len(module.DRILL_CORRECT) >= 1 and len(module.DRILL_MISTAKES) >= 3


def test_every_class_problem_belongs_to_a_chapter():
    assert sorted(CLASS_PROBLEMS) == sorted(f"{c}_class" for c in ALGORITHM_CHAPTERS)


@pytest.mark.parametrize(("chapter", "key", "cls"), rows("DRILL_CORRECT"))
def test_a_right_class_passes(chapter, key, cls):
    verdict = check(table(chapter).DRILL, cls)
    assert verdict and verdict.kind == "pass", verdict.message


@pytest.mark.parametrize(("chapter", "key", "cls"), rows("DRILL_MISTAKES"))
def test_a_typical_mistake_is_rejected_by_a_clear_margin(chapter, key, cls):
    name = table(chapter).DRILL
    verdict = check(name, cls)
    assert not verdict and verdict.kind in ("wrong", "type", "error"), verdict.message
    assert verdict.message.splitlines()[0].startswith(f"【{PROBLEMS[name].title}】")
    if verdict.kind != "wrong":
        return
    problem, rng = PROBLEMS[name], np.random.default_rng(0)
    trials = [problem.make_inputs(rng) for _ in range(problem.trials)]
    ratios = []
    for inputs in trials:
        want = problem.reference(**_copy(inputs))
        got = problem.adapter(cls)(**_copy(inputs))
        ratios.append(
            max(
                float(np.max(np.abs(g - w) / (problem.atol + problem.rtol * np.abs(w))))
                for ws, gs in zip(want, got, strict=True)
                for w, g in zip(ws, gs, strict=True)
            )
        )
    # the trial that fails first must fail clearly
    first = next(r for r in ratios if r > 1)
    assert first >= 100, (key, first)


def _copy(inputs: dict) -> dict:
    return {
        "settings": dict(inputs["settings"]),
        "params": {k: v.copy() for k, v in inputs["params"].items()},
        "grads": [{k: v.copy() for k, v in g.items()} for g in inputs["grads"]],
    }


@pytest.mark.parametrize("name", CLASS_PROBLEMS)
def test_a_class_with_a_blank_is_reported_without_running(name):
    calls = []

    class Answer:
        def __init__(self, **settings):
            calls.append(settings)

        def update(self, params, grads):
            params["W1"] -= ___  # noqa: F821

    verdict = check(name, Answer)
    assert verdict.kind == "blank" and not calls


@pytest.mark.parametrize("name", CLASS_PROBLEMS)
def test_a_function_or_an_instance_is_refused_with_a_clear_message(name):
    with pytest.raises(TypeError, match="クラス"):
        check(name, lambda settings, params, grads: None)


def test_an_error_in_the_class_names_its_line_and_the_settings():
    class Broken:
        def __init__(self, lr=0.01):
            self.lr = lr

        def update(self, params, grads):
            params["W1"] -= self.lr * grads["w1"]

    verdict = check("sgd_class", Broken)
    assert verdict.kind == "error" and "KeyError" in verdict.message
    assert "params の形" in verdict.message and "行目" in verdict.message


def test_a_wrong_class_is_shown_at_its_first_wrong_step_and_key():
    class Ascent:
        def __init__(self, lr=0.01):
            self.lr = lr

        def update(self, params, grads):
            for key in params:
                params[key] += self.lr * grads[key]

    verdict = check("sgd_class", Ascent)
    assert verdict.kind == "wrong"
    assert "1 ステップ目の params['W1']" in verdict.message and "期待" in verdict.message


def chapter_cells() -> list:
    found = []
    for chapter in ALGORITHM_CHAPTERS:
        cells = json.loads((ROOT / "chapters" / f"{chapter}.ipynb").read_text(encoding="utf-8"))["cells"]
        found += [
            pytest.param(chapter, "".join(c["source"]), id=f"{chapter}-{i}")
            for i, c in enumerate(cells)
            if c["cell_type"] == "code"
            and re.search(r'dlopt\.exercises\.check\(\s*"\w+_class"', "".join(c["source"]))
        ]
    return found


def test_every_algorithm_chapter_drills_its_class():
    drilled = {chapter for chapter, *_ in (p.values for p in chapter_cells())}
    assert drilled == set(ALGORITHM_CHAPTERS)
    assert dlopt  # the cells are run by tests/test_exercises.py's chapter-cell test
