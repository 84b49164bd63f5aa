"""The 穴埋め graders of dlopt.exercises: every problem from the table in exercise_cases.py, then the engine.

For each problem: the reference passes, a blank is reported, other right answers pass, each typical
mistake is rejected, the reference agrees with hand-computed cases and with the dlopt class that
computes the same thing, and the generated inputs are such that the mistakes cannot pass by luck.
The engine: time limit, type mismatch, the error first, numpy patched by the reader, blanks anywhere.
"""

from __future__ import annotations

import ast
import copy
import inspect
import json
import math
import re
import signal
import threading
import time
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from exercise_cases import CASES, adagrad_with, keras_rule, minus_rule

import dlopt
from dlopt.exercises import PROBLEMS, Verdict, check
from dlopt.exercises.early_stopping import FLOAT_TIES

ROOT = Path(__file__).resolve().parents[1]


def first_line(verdict: Verdict) -> str:
    return verdict.message.splitlines()[0]


def assert_same(got, want, rtol=1e-12, atol=1e-14):
    """Equal structure; numbers equal to round-off (tighter than the grader)."""
    if isinstance(want, tuple):
        assert isinstance(got, tuple) and len(got) == len(want), (got, want)
        for g, w in zip(got, want, strict=True):
            assert_same(g, w, rtol, atol)
    elif want is None or isinstance(want, (bool, np.bool_)):
        assert got == want and (got is None) == (want is None), (got, want)
    else:
        np.testing.assert_allclose(got, want, rtol=rtol, atol=atol)


def graded_inputs(name: str, n: int | None = None) -> list[dict]:
    """The inputs check(name, ..., seed=0) grades on (the first ``trials`` of them), and more."""
    rng = np.random.default_rng(0)
    return [PROBLEMS[name].make_inputs(rng) for _ in range(n or PROBLEMS[name].trials)]


def rows(attribute: str) -> list:
    """pytest params (name, key, value) for every entry of every case's dict ``attribute``."""
    return [pytest.param(name, key, value, id=f"{name}-{key}")
            for name, case in CASES.items() for key, value in getattr(case, attribute).items()]


# --- every problem, from the table ---------------------------------------------------------------


# Problems in the exam's class form (adapter=run_class) are graded with classes: tests/test_class_drills.py.
FUNCTION_PROBLEMS = [name for name, problem in PROBLEMS.items() if problem.adapter is None]


def test_every_problem_has_a_case():
    assert set(CASES) == set(FUNCTION_PROBLEMS)


@pytest.mark.parametrize("name", FUNCTION_PROBLEMS)
def test_the_reference_passes(name):
    verdict = check(name, PROBLEMS[name].reference)
    assert verdict and verdict.kind == "pass", verdict.message
    assert "正解です" in first_line(verdict)


@pytest.mark.parametrize("name", FUNCTION_PROBLEMS)
def test_a_blank_is_reported_without_running(name):
    calls = []

    def answer(**inputs):
        calls.append(inputs)
        return ___  # noqa: F821

    verdict = check(name, answer)
    assert not verdict and verdict.kind == "blank" and not calls
    assert "空欄" in first_line(verdict)


@pytest.mark.parametrize(("name", "key", "answer"), rows("correct"))
def test_other_right_answers_pass(name, key, answer):
    verdict = check(name, answer)
    assert verdict, verdict.message


@pytest.mark.parametrize(("name", "key", "mistake"), rows("mistakes"))
def test_a_typical_mistake_is_rejected(name, key, mistake):
    verdict = check(name, mistake)
    assert not verdict
    assert verdict.kind in ("wrong", "type"), verdict.message
    assert "不正解" in first_line(verdict)
    for word in ("入力", "期待", "実際"):
        assert word in verdict.message


@pytest.mark.parametrize(
    ("name", "inputs", "expected"),
    [pytest.param(name, inputs, expected, id=f"{name}-{i}")
     for name, case in CASES.items() for i, (inputs, expected) in enumerate(case.examples)],
)
def test_the_reference_on_a_hand_computed_case(name, inputs, expected):
    assert_same(PROBLEMS[name].reference(**inputs), expected, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("name", [name for name, case in CASES.items() if case.twin])
def test_the_reference_agrees_with_its_dlopt_twin(name):
    """The grader's reference computes what dlopt's class computes (to round-off)."""
    case, rng = CASES[name], np.random.default_rng(3)
    for _ in range(case.twin_trials):
        inputs, from_dlopt = case.twin(rng)
        assert_same(PROBLEMS[name].reference(**copy.deepcopy(inputs)), from_dlopt)


@pytest.mark.parametrize(
    ("name", "mistake", "index", "factor"),
    [pytest.param(name, *margin, id=f"{name}-{margin[0]}")
     for name, case in CASES.items() for margin in case.margins],
)
def test_a_small_mistake_misses_the_tolerance_in_every_graded_trial(name, mistake, index, factor):
    """Caught by the tolerance, not by luck: in each of the graded trials the smallest mistakes
    exceed atol + rtol·|expected| by ``factor``."""
    problem = PROBLEMS[name]
    for trial, inputs in enumerate(graded_inputs(name), start=1):
        expected = problem.reference(**inputs)
        got = CASES[name].mistakes[mistake](**inputs)
        if index is not None:
            expected, got = expected[index], got[index]
        ratio = np.max(np.abs(got - expected) / (problem.atol + problem.rtol * np.abs(expected)))
        assert ratio > factor, f"trial {trial}: {mistake} is within {ratio:.3g}× the tolerance"


@pytest.mark.parametrize("name", [name for name, case in CASES.items() if case.every_input])
def test_every_generated_input_is_as_designed(name):
    for inputs in graded_inputs(name, 200):
        assert CASES[name].every_input(inputs), inputs


@pytest.mark.parametrize("name", [name for name, case in CASES.items() if case.graded_inputs])
def test_the_graded_inputs_contain_the_traps(name):
    assert CASES[name].graded_inputs(graded_inputs(name))


def test_the_float_ties_of_the_early_stopping_graders_are_ties():
    """Each (best, value, min_delta) of FLOAT_TIES drops by exactly min_delta in decimal, and Keras's
    value + min_delta < best and value < best − min_delta decide it differently in floats: the
    inputs on which the graders reject the second form."""
    for best, value, min_delta in FLOAT_TIES:
        assert Fraction(str(best)) - Fraction(str(value)) == Fraction(str(min_delta))
        assert keras_rule(value, best, min_delta) != minus_rule(value, best, min_delta)


def toc_chapters() -> list[str]:
    return re.findall(r"file: chapters/(\w+)", (ROOT / "_toc.yml").read_text(encoding="utf-8"))


def test_one_module_per_chapter_in_toc_order():
    """Each problem lives in the module named after its chapter; PROBLEMS follows the book's order."""
    chapters = [PROBLEMS[name].reference.__module__.rsplit(".", 1)[-1] for name in PROBLEMS]
    toc = toc_chapters()
    assert set(chapters) <= set(toc)
    assert [toc.index(c) for c in chapters] == sorted(toc.index(c) for c in chapters)
    for name in PROBLEMS:  # the references are attributes of the package (exercises.adagrad_step)
        assert getattr(dlopt.exercises, PROBLEMS[name].reference.__name__) is PROBLEMS[name].reference


def chapter_cells() -> list:
    """The code cells of the chapters that call dlopt.exercises.check, as (notebook, source)."""
    found = []
    for chapter in toc_chapters():
        path = ROOT / "chapters" / f"{chapter}.ipynb"
        if path.exists():
            cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
            found += [pytest.param(chapter, "".join(c["source"]), id=f"{chapter}-{i}")
                      for i, c in enumerate(cells)
                      if c["cell_type"] == "code" and "dlopt.exercises.check(" in "".join(c["source"])]
    return found


@pytest.mark.parametrize(("chapter", "source"), chapter_cells())
def test_the_chapters_cells_are_graded_as_the_book_says(chapter, source):
    """A cell with blanks is reported as 空欄; the filled-in cell (the solution) passes."""
    tree = ast.parse(source)
    *body, last = tree.body
    namespace = {"np": np, "math": math, "dlopt": dlopt}
    exec(compile(ast.Module(body, []), chapter, "exec"), namespace)  # the book's own cell
    verdict = eval(compile(ast.Expression(last.value), chapter, "eval"), namespace)
    assert verdict.kind == ("blank" if re.search(r"\b___\b", source) else "pass"), verdict.message


# --- the engine: time limit ----------------------------------------------------------------------


def busy_for(seconds):
    """An answer that loops for ``seconds`` (stands for an infinite loop, but ends if not stopped)."""

    def answer(theta, h, grad, lr, eps):
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            pass
        return theta, h

    return answer


def test_the_default_time_limit_is_ten_seconds():
    assert inspect.signature(check).parameters["timeout"].default == 10.0


def test_an_infinite_loop_is_stopped_and_reported_with_its_input():
    started = time.monotonic()
    verdict = check("adagrad_step", busy_for(30.0), timeout=0.3)
    assert time.monotonic() - started < 5.0
    assert not verdict and verdict.kind == "timeout"
    assert first_line(verdict).startswith("【AdaGrad の 1 ステップ】時間切れ：")
    assert "0.3 秒" in first_line(verdict) and "無限ループ" in first_line(verdict)
    assert "\n  入力（20 通り中 1 件目）:\n    theta=array(" in verdict.message


def test_an_answer_that_swallows_every_exception_is_stopped_too():
    def answer(theta, h, grad, lr, eps):
        end = time.monotonic() + 30.0
        while time.monotonic() < end:
            try:
                theta = theta / 0.0 if lr > 0 else theta  # a failing line the reader "protected"
            except BaseException:  # a bare except that swallows the alarm: it repeats until it gets out
                pass
        return theta, h

    started = time.monotonic()
    assert check("adagrad_step", answer, timeout=0.2).kind == "timeout"
    assert time.monotonic() - started < 5.0


def test_outside_the_main_thread_the_answer_runs_in_a_thread_that_is_abandoned():
    release = threading.Event()
    verdicts = []

    def answer(theta, h, grad, lr, eps):
        release.wait(30.0)
        return theta, h

    worker = threading.Thread(target=lambda: verdicts.append(check("adagrad_step", answer, timeout=0.2)))
    worker.start()
    worker.join(10.0)
    release.set()
    assert verdicts and verdicts[0].kind == "timeout"
    assert "バックグラウンド" in verdicts[0].message


def test_outside_the_main_thread_a_right_answer_still_passes():
    verdicts = []
    worker = threading.Thread(target=lambda: verdicts.append(check("adagrad_step", adagrad_with())))
    worker.start()
    worker.join(30.0)
    assert verdicts and verdicts[0].kind == "pass"


def test_the_previous_alarm_handler_and_timer_are_restored():
    def handler(signum, frame):
        raise AssertionError("the previous timer fired during the test")

    previous = signal.signal(signal.SIGALRM, handler)
    try:
        signal.setitimer(signal.ITIMER_REAL, 100.0)
        assert check("adagrad_step", adagrad_with())
        assert check("adagrad_step", busy_for(30.0), timeout=0.2).kind == "timeout"
        assert signal.getsignal(signal.SIGALRM) is handler
        assert 90.0 < signal.getitimer(signal.ITIMER_REAL)[0] <= 100.0
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_no_timer_is_left_armed():
    assert check("adagrad_step", adagrad_with())
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_keyboard_interrupt_is_not_swallowed():
    def answer(theta, h, grad, lr, eps):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        check("adagrad_step", answer)
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


@pytest.mark.parametrize("timeout", [0, -1.0, float("nan")])
def test_a_bad_time_limit_is_refused(timeout):
    with pytest.raises(ValueError, match="timeout"):
        check("adagrad_step", adagrad_with(), timeout=timeout)


def test_no_time_limit():
    assert check("adagrad_step", adagrad_with(), timeout=None)


# --- the engine: type mismatch -------------------------------------------------------------------


def test_a_list_where_a_tuple_is_expected_is_a_type_mismatch():
    right = adagrad_with()
    verdict = check("adagrad_step", lambda **inputs: list(right(**inputs)))
    assert not verdict and verdict.kind == "type"
    assert "】不正解：戻り値の型が違います（期待 tuple、実際 list）。値は一致しています。" in (
        first_line(verdict))
    assert "カンマで並べるとタプル" in first_line(verdict)


def test_a_list_where_an_ndarray_is_expected_is_a_type_mismatch():
    def answer(params, weight_decay):
        return [weight_decay if p.ndim >= 2 else 0.0 for p in params.values()]

    verdict = check("pytorch_param_groups", answer)
    assert not verdict and verdict.kind == "type"
    assert "（期待 ndarray、実際 list）。値は一致しています。np.array(...)" in first_line(verdict)


def test_a_type_mismatch_with_other_values_says_so():
    verdict = check("pytorch_param_groups", lambda params, weight_decay: [0.0] * len(params))
    assert verdict.kind == "type" and "値も違います" in first_line(verdict)


def test_the_element_of_a_tuple_in_another_type_is_named():
    def answer(theta, h, grad, lr, eps):
        theta, h = adagrad_with()(theta, h, grad, lr, eps)
        return theta, h.tolist()

    verdict = check("adagrad_step", answer)
    assert verdict.kind == "type"
    assert "戻り値の 2 番目の要素の型が違います（期待 ndarray、実際 list）" in first_line(verdict)


def test_a_number_where_an_array_is_expected_is_a_type_mismatch():
    verdict = check("pytorch_param_groups", lambda params, weight_decay: weight_decay)
    assert verdict.kind == "type" and "（期待 ndarray、実際 float）" in first_line(verdict)


@pytest.mark.parametrize(
    "answer",
    [
        lambda fan_in, fan_out: math.sqrt(2 / fan_in),  # float where the reference returns float
        lambda fan_in, fan_out: np.sqrt(2 / fan_in),  # np.float64
        lambda fan_in, fan_out: np.array(math.sqrt(2 / fan_in)),  # a 0-d array
    ],
    ids=["float", "np.float64", "0-d array"],
)
def test_every_kind_of_number_is_a_number(answer):
    assert check("initialization_he_std", answer)


def test_an_ndarray_number_where_a_float_is_expected_passes_and_python_bools_are_numbers():
    reference = PROBLEMS["exam_early_stopping_counter"].reference

    def answer(**inputs):
        best, wait, stop = reference(**inputs)
        return np.float64(best), np.int64(wait), np.bool_(stop)

    assert check("exam_early_stopping_counter", answer)


def test_an_array_where_a_number_is_expected_reports_the_shapes():
    verdict = check("initialization_he_std", lambda fan_in, fan_out: np.array([math.sqrt(2 / fan_in)]))
    assert verdict.kind == "wrong"
    assert "形（shape）が違います（期待 ()（スカラー）、実際 (1,)）" in first_line(verdict)


def test_a_forgotten_return_is_pointed_out():
    def answer(theta, h, grad, lr, eps):
        h = h + grad * grad

    verdict = check("adagrad_step", answer)
    assert verdict.kind == "type"
    assert "（期待 tuple、実際 None）" in first_line(verdict) and "return" in first_line(verdict)


def test_a_tuple_of_the_wrong_length_is_reported():
    verdict = check("adam_step", lambda **inputs: PROBLEMS["adam_step"].reference(**inputs)[:2])
    assert "要素の数が違います（期待 3 個、実際 2 個）" in first_line(verdict)


def test_the_wrong_element_is_named_and_nan_is_pointed_out():
    def answer(theta, h, grad, lr, eps):
        theta, h = adagrad_with()(theta, h, grad, lr, eps)
        return theta, h * np.nan

    verdict = check("adagrad_step", answer)
    assert verdict.kind == "wrong"
    assert "戻り値の 2 番目の要素が参照実装と一致しません" in first_line(verdict)
    assert "nan か inf" in first_line(verdict)


# --- the engine: the error first, and what the reader's code can do ------------------------------


def test_an_error_leads_the_verdict_then_where_and_the_input():
    def answer(theta, h, grad, lr, eps):
        raise RuntimeError("boom")

    verdict = check("adagrad_step", answer)
    assert not verdict and verdict.kind == "error"
    lines = verdict.message.splitlines()
    assert lines[0] == "【AdaGrad の 1 ステップ】エラー：RuntimeError: boom"
    assert lines[1].startswith("  場所: ") and lines[1].endswith('行目 raise RuntimeError("boom")')
    assert lines[2:4] == ["  入力（20 通り中 1 件目）:", "    theta=array([[-0.132105,  0.640423],"]


def test_renamed_parameters_are_reported_with_the_expected_names():
    verdict = check("adagrad_step", lambda params, h, grad, lr, eps: (params, h))
    assert verdict.kind == "error"
    assert "引数" in first_line(verdict) and "theta, h, grad, lr, eps" in first_line(verdict)


@pytest.mark.parametrize(
    ("attribute", "patch"),
    [("allclose", lambda *args, **kwargs: True), ("isclose", lambda *args, **kwargs: np.True_),
     ("isfinite", lambda *args, **kwargs: np.True_)],
)
def test_patching_numpy_cannot_make_a_wrong_answer_pass(monkeypatch, attribute, patch):
    monkeypatch.setattr(np, attribute, patch)
    verdict = check("adagrad_step", CASES["adagrad_step"].mistakes["missing_square"])
    assert not verdict and verdict.kind == "wrong"


def test_an_answer_that_patches_numpy_while_it_runs_cannot_pass(monkeypatch):
    """The references are computed before the reader's code runs, and compared with bound functions."""
    calls = []

    def answer(theta, h, grad, lr, eps):
        calls.append(1)
        if len(calls) == 1:  # right on the first input, then numpy "agrees" with anything
            right = adagrad_with()(theta, h, grad, lr, eps)
            monkeypatch.setattr(np, "allclose", lambda *args, **kwargs: True)
            monkeypatch.setattr(np, "sqrt", lambda x: x)
            return right
        return adagrad_with(root=lambda h, eps: h + eps)(theta, h, grad, lr, eps)  # no square root

    verdict = check("adagrad_step", answer)
    assert not verdict and "2 件目" in verdict.message


# --- the engine: blanks, names, arguments --------------------------------------------------------


def test_a_blank_inside_a_comprehension_or_lambda_is_found():
    def answer(theta, h, grad, lr, eps):
        scale = [___ for _ in range(1)]  # noqa: F821
        step = lambda g: g * ___  # noqa: E731, F821
        return theta - scale[0] * step(grad), h

    assert check("adagrad_step", answer).kind == "blank"


def test_a_blank_as_an_attribute_name_is_found():
    def answer(params, weight_decay):
        return np.array([weight_decay if p.___ >= ___ else 0.0 for p in params.values()])  # noqa: F821

    assert check("pytorch_param_groups", answer).kind == "blank"


def test_a_blank_in_a_helper_function_is_reported_as_a_blank():
    def helper(h, grad):
        return h + ___  # noqa: F821

    def answer(theta, h, grad, lr, eps):
        return theta, helper(h, grad)

    verdict = check("adagrad_step", answer)
    assert verdict.kind == "blank" and "空欄" in first_line(verdict)


def test_an_unknown_problem_is_refused_with_suggestions():
    with pytest.raises(KeyError, match="unknown problem") as error:
        check("adagrad_stp", adagrad_with())
    assert "登録されていません" in str(error.value) and "'adagrad_step'" in str(error.value)


def test_a_value_instead_of_a_function_is_refused():
    with pytest.raises(TypeError, match="関数そのもの"):
        check("adagrad_step", 0.5)


def test_a_pass_keeps_its_message():
    verdict = check("adagrad_step", adagrad_with())
    assert repr(verdict) == str(verdict) == verdict.message
    assert verdict.message == ("【AdaGrad の 1 ステップ】"
                               "正解です。20 通りのランダムな入力で参照実装と一致しました。")


def test_a_difference_smaller_than_the_printed_digits_is_said_to_be():
    verdict = check("adagrad_step", CASES["adagrad_step"].mistakes["eps_inside_root"])
    assert "差の最大" in first_line(verdict) and "表示される桁より小さな差" in first_line(verdict)


@pytest.mark.parametrize(
    ("answer", "said"),
    [(lambda params, weight_decay: np.ones(len(params), dtype=complex), "dtype complex128"),
     (lambda params, weight_decay: np.array(["0.0"] * len(params)), "dtype <U3")],
    ids=["complex", "text"],
)
def test_values_that_are_not_real_numbers_are_reported(answer, said):
    verdict = check("pytorch_param_groups", answer)
    assert verdict.kind == "wrong" and f"実数になっていません（{said}）" in first_line(verdict)
