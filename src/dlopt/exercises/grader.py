"""The grading engine of the 穴埋め (fill-in-the-blank) problems.

A problem is a reference function and a generator of random inputs (``register``). ``check(name,
answer)`` runs the reader's function and the reference on the same inputs and returns a ``Verdict``
whose first line says what happened — 正解です, or 不正解／エラー／時間切れ／空欄 and why — followed
by the details (入力, 期待, 実際).

The reader's function may do anything, so the engine defends itself:

- a function that still contains the blank ``___`` is reported without being run;
- the answer runs under a time limit (``timeout`` seconds for the whole check): in the main thread
  (a Jupyter or Colab kernel, pytest) SIGALRM interrupts it; elsewhere it runs in a daemon thread that
  is abandoned (and said to be) when the limit passes;
- the references are computed before the reader's code runs, and every comparison uses functions
  bound when this module is imported, so patching ``np.allclose`` or ``copy.deepcopy`` later grades
  nothing differently (the references themselves use numpy as it is when ``check`` starts);
- a right answer in the wrong container (a list where the reference returns a tuple or an ndarray)
  is reported as a type mismatch, not as unequal numbers that print the same.
"""

from __future__ import annotations

import copy
import difflib
import inspect
import linecache
import numbers
import signal
import threading
import time
import traceback
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = ["Problem", "PROBLEMS", "Verdict", "check", "register"]

# Bound at import: a reader's later ``np.allclose = lambda *a, **k: True`` (or a patched
# ``np.asarray``, ``copy.deepcopy``, ...) cannot change how answers are graded.
_allclose = np.allclose
_asarray = np.asarray
_isfinite = np.isfinite
_errstate = np.errstate
_printoptions = np.printoptions
_default_rng = np.random.default_rng
_ndarray = np.ndarray
_numpy_scalar = (np.number, np.bool_)
_deepcopy = copy.deepcopy

_SHORTEST_LIMIT = 1e-3  # seconds; setitimer(0) would disarm the timer instead of firing at once
_REFIRE = 0.05  # seconds between repeated alarms, should the reader's code swallow the first one


@dataclass(frozen=True)
class Problem:
    """A reference solution and ``make_inputs(rng) -> dict`` of keyword arguments."""

    reference: Callable
    make_inputs: Callable[[np.random.Generator], dict]
    title: str
    rtol: float = 1e-9
    atol: float = 1e-12
    trials: int = 20
    # A class problem (the exam's class form): adapter(cls) -> function of the inputs, see class_form
    adapter: Callable | None = None


PROBLEMS: dict[str, Problem] = {}


def register(name: str, title: str, make_inputs: Callable, **options) -> Callable:
    """Decorator: register the decorated function as the reference solution of problem ``name``."""

    def decorate(reference: Callable) -> Callable:
        PROBLEMS[name] = Problem(reference, make_inputs, title, **options)
        return reference

    return decorate


@dataclass(frozen=True)
class Verdict:
    """The result of ``check``: true when the answer is right; shown as its Japanese message.

    ``kind`` says what happened: "pass", "blank", "wrong" (other numbers), "type" (another
    container type), "error" (the answer raised), or "timeout".
    """

    passed: bool
    message: str
    kind: str = ""

    def __bool__(self) -> bool:
        return self.passed

    def __repr__(self) -> str:
        return self.message


# --- comparing a return value with the reference's ------------------------------------------------


def _kind(value) -> str:
    """What a reader can get wrong about a value's container: tuple, list, ndarray (ndim ≥ 1), number
    (int, float, bool, numpy scalars and 0-d arrays alike), None, or another type's name."""
    if value is None:
        return "None"
    if isinstance(value, tuple):
        return "tuple"
    if isinstance(value, list):
        return "list"
    if isinstance(value, _ndarray):
        return "ndarray" if value.ndim else "number"
    if isinstance(value, (numbers.Number, *_numpy_scalar)):
        return "number"
    return type(value).__name__


def _type_name(value) -> str:
    return "None" if value is None else type(value).__name__


def _as_floats(value):
    """``value`` as a float array, or None if it is not real numbers (None, text, complex, ragged)."""
    try:
        array = _asarray(value)
    except (TypeError, ValueError):
        return None
    return array.astype(float) if array.dtype.kind in "biuf" else None


def _close(expected, got, rtol: float, atol: float) -> bool:
    if expected.shape != got.shape:
        return False
    return bool(_allclose(got, expected, rtol=rtol, atol=atol, equal_nan=True))


def _same_values(expected, got, rtol: float, atol: float) -> bool:
    """Whether the numbers agree, whatever containers hold them (a list and a tuple of the same arrays)."""
    if isinstance(expected, (tuple, list)) and isinstance(got, (tuple, list)):
        return len(expected) == len(got) and all(
            _same_values(e, g, rtol, atol) for e, g in zip(expected, got, strict=True)
        )
    e_arr, g_arr = _as_floats(expected), _as_floats(got)
    if e_arr is None or g_arr is None:
        return expected is None and got is None
    return _close(e_arr, g_arr, rtol, atol)


def _shape_text(shape: tuple) -> str:
    return f"{shape}（スカラー）" if shape == () else str(shape)


_HINTS = {  # (expected kind, actual kind): what the reader probably meant
    ("tuple", "list"): "。return a, b のようにカンマで並べるとタプルになります",
    ("ndarray", "list"): "。np.array(...) で配列にしてから返してください",
}


def _difference(expected, got, rtol: float, atol: float, where: str = "戻り値") -> tuple[str, str] | None:
    """The first way ``got`` differs from ``expected``: (kind, sentence), kind "type" or "wrong"."""
    e_kind, g_kind = _kind(expected), _kind(got)
    # A number where an array is expected is a type error; an array where a number is expected
    # is left to the shape comparison below (it reports the shapes).
    if e_kind != g_kind and not (e_kind == "number" and g_kind == "ndarray"):
        values = "値は一致しています" if _same_values(expected, got, rtol, atol) else "値も違います"
        hint = "。return を書き忘れていませんか" if got is None else _HINTS.get((e_kind, g_kind), "")
        return "type", (f"{where}の型が違います（期待 {_type_name(expected)}、実際 {_type_name(got)}）。"
                        f"{values}{hint}。")
    if e_kind in ("tuple", "list"):
        if len(expected) != len(got):
            return "wrong", f"{where}の要素の数が違います（期待 {len(expected)} 個、実際 {len(got)} 個）。"
        for i, (e, g) in enumerate(zip(expected, got, strict=True), start=1):
            found = _difference(e, g, rtol, atol, f"{where}の {i} 番目の要素")
            if found:
                return found
        return None
    if e_kind == "None":
        return None
    e_arr, g_arr = _as_floats(expected), _as_floats(got)
    if e_arr is not None and g_arr is None:
        dtype = f"dtype {got.dtype}" if isinstance(got, _ndarray) else _type_name(got)
        return "wrong", f"{where}が実数になっていません（{dtype}）。"
    if e_arr is None:  # the reference returns neither numbers nor containers: compare with ==
        try:
            equal = bool(expected == got)
        except Exception:  # noqa: BLE001  (an odd __eq__ is the reader's; it means "not equal")
            equal = False
        return None if equal else ("wrong", f"{where}が参照実装と一致しません。")
    if e_arr.shape != g_arr.shape:
        return "wrong", (f"{where}の形（shape）が違います"
                         f"（期待 {_shape_text(e_arr.shape)}、実際 {_shape_text(g_arr.shape)}）。")
    if _close(e_arr, g_arr, rtol, atol):
        return None
    if _isfinite(e_arr).all() and not _isfinite(g_arr).all():
        return "wrong", (f"{where}が参照実装と一致しません。実際の値に nan か inf が含まれています"
                         f"（0 での割り算などを確かめてください）。")
    gap = float(abs(g_arr - e_arr).max())  # it shows what the printed digits may hide
    hidden = "：表示される桁より小さな差です" if gap < 5e-7 else ""
    return "wrong", f"{where}が参照実装と一致しません（差の最大 {gap:.2g}{hidden}）。"


def _text(value) -> str:
    """``value`` as the reader would write it: numpy scalars as plain numbers, zeros as np.zeros(shape)."""
    if isinstance(value, (tuple, list)):
        texts = [_text(v) for v in value]
        # one element a line, aligned under the first, when an element takes several lines
        separator = ",\n " if any("\n" in t for t in texts) else ", "
        body = separator.join(t.replace("\n", "\n ") for t in texts)
        return f"({body},)" if isinstance(value, tuple) and len(value) == 1 else (
            f"({body})" if isinstance(value, tuple) else f"[{body}]")
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, _numpy_scalar):
        return repr(value.item())  # 0.5, not np.float64(0.5)
    if isinstance(value, _ndarray) and value.size and value.dtype.kind in "biuf" and not value.any():
        return f"np.zeros({value.shape})"
    return repr(value)


def _width(text: str) -> int:
    """Columns on a monospaced screen (a kanji takes two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _labelled(label: str, value) -> str:
    """``label`` then ``value``, its continuation lines aligned under the value's first character."""
    with _printoptions(precision=6, suppress=True, threshold=60, edgeitems=3):
        return label + _text(value).replace("\n", "\n" + " " * _width(label))


def _show_inputs(header: str, inputs: dict) -> str:
    """The inputs on the header's line if they are short, otherwise one argument a line."""
    parts = [_labelled(f"{name}=", value) for name, value in inputs.items()]
    line = f"{header} {', '.join(parts)}"
    if "\n" not in line and _width(line) <= 100:
        return line
    return header + "".join("\n  " + part.replace("\n", "\n  ") for part in parts)


# --- running the reader's function under a time limit ----------------------------------------------


class _TimeUp(BaseException):
    """Raised inside the reader's function when the time is up. A BaseException, so that the reader's
    ``except Exception`` does not swallow it; a bare ``except`` in a loop usually only delays it, as the
    alarm repeats every ``_REFIRE`` seconds until it lands outside the ``try``."""


@dataclass
class _Outcome:
    value: object = None
    error: BaseException | None = None
    timed_out: bool = False
    still_running: bool = False


def _call(answer: Callable, kwargs: dict) -> _Outcome:
    try:
        with _errstate(all="ignore"):
            return _Outcome(value=answer(**kwargs))
    except Exception as error:  # noqa: BLE001  (the reader's code may fail in any way: report it)
        return _Outcome(error=error)


def _call_with_alarm(answer: Callable, kwargs: dict, limit: float) -> _Outcome:
    """Main thread on Unix: SIGALRM raises _TimeUp in the answer; the previous handler and timer are
    restored in every case (KeyboardInterrupt included, which is never swallowed)."""
    armed = True

    def on_alarm(signum, frame):
        if armed:
            raise _TimeUp

    started = time.monotonic()
    previous_handler = signal.signal(signal.SIGALRM, on_alarm)
    previous_delay, previous_interval = signal.setitimer(signal.ITIMER_REAL, limit, _REFIRE)
    try:
        try:
            return _call(answer, kwargs)
        finally:
            armed = False
    except _TimeUp:
        return _Outcome(timed_out=True)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL if previous_handler is None else previous_handler)
        if previous_delay:
            remaining = max(previous_delay - (time.monotonic() - started), _SHORTEST_LIMIT)
            signal.setitimer(signal.ITIMER_REAL, remaining, previous_interval)


def _call_in_thread(answer: Callable, kwargs: dict, limit: float) -> _Outcome:
    """Elsewhere (another thread, or no SIGALRM): a daemon thread, abandoned if it runs past the limit."""
    outcomes: list[_Outcome] = []

    def run():
        try:
            outcomes.append(_call(answer, kwargs))
        except BaseException as error:  # noqa: BLE001  (SystemExit in the reader's code, say)
            outcomes.append(_Outcome(error=error))

    worker = threading.Thread(target=run, name="dlopt-exercises-answer", daemon=True)
    worker.start()
    worker.join(limit)
    if worker.is_alive():
        return _Outcome(timed_out=True, still_running=True)
    return outcomes[0]


def _run(answer: Callable, kwargs: dict, limit: float | None) -> _Outcome:
    if limit is None:
        return _call(answer, kwargs)
    limit = max(limit, _SHORTEST_LIMIT)
    if hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread():
        return _call_with_alarm(answer, kwargs, limit)
    return _call_in_thread(answer, kwargs, limit)


# --- check -----------------------------------------------------------------------------------------


def _has_blank(code) -> bool:
    """True if ``___`` is used in ``code`` or in its comprehensions, lambdas and inner functions."""
    if code is None:
        return False
    if "___" in code.co_names:
        return True
    return any(_has_blank(const) for const in code.co_consts if hasattr(const, "co_names"))


def _problem(name: str) -> Problem:
    if name in PROBLEMS:
        return PROBLEMS[name]
    close = difflib.get_close_matches(str(name), PROBLEMS, n=3)
    guess = f"もしかして {', '.join(map(repr, close))}？ " if close else ""
    raise KeyError(f"問題 {name!r} は登録されていません（unknown problem）。{guess}"
                   f"登録されている問題: {', '.join(PROBLEMS)}")


def _signature_error(answer: Callable, problem: Problem, inputs: dict) -> str | None:
    """Why ``answer(**inputs)`` cannot even be called (renamed or missing parameters), or None."""
    try:
        inspect.signature(answer).bind(**inputs)
    except TypeError as error:
        expected = inspect.signature(problem.reference)
        return (f"エラー：関数の引数が問題と合いません（TypeError: {error}）。"
                f"引数は {', '.join(expected.parameters)} という名前で受け取ってください。")
    except ValueError:  # no signature to inspect (some builtins): let the call decide
        return None
    return None


def _where(error: BaseException, answer: Callable) -> str | None:
    """The line of the reader's function or class (its file: a notebook cell) where ``error`` was raised."""
    answer = getattr(answer, "__wrapped_class__", answer)
    if isinstance(answer, type):
        answer = next((f for f in vars(answer).values() if hasattr(f, "__code__")), None)
    filename = getattr(getattr(answer, "__code__", None), "co_filename", None)
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == filename]
    if not frames:
        return None
    frame = frames[-1]
    line = (frame.line or linecache.getline(frame.filename, frame.lineno)).strip()
    return f"場所: {frame.lineno} 行目 {line}" if line else f"場所: {frame.lineno} 行目"


def _verdict(problem: Problem, kind: str, headline: str, *details: str) -> Verdict:
    """The headline (what happened) on the first line, then the details, indented."""
    lines = [f"【{problem.title}】{headline}", *("  " + d.replace("\n", "\n  ") for d in details if d)]
    return Verdict(kind == "pass", "\n".join(lines), kind)


def _blank(problem: Problem) -> Verdict:
    return _verdict(problem, "blank", "空欄 ___ がまだ残っています。埋めてからもう一度実行してください。")


def _class_verdict(problem: Problem, inputs: dict, want: tuple, got: tuple, where: str) -> Verdict:
    """The first step and key at which the reader's class leaves the reference (class problems)."""
    keys = sorted(inputs["params"])
    settings = _labelled("設定: ", inputs["settings"])
    for step, (want_step, got_step) in enumerate(zip(want, got, strict=True), start=1):
        for key, expected, actual in zip(keys, want_step, got_step, strict=True):
            where_wrong = f"{step} ステップ目の params[{key!r}]"
            found = _difference(expected, actual, problem.rtol, problem.atol, where_wrong)
            if found:
                return _verdict(problem, found[0], f"不正解：{found[1]}", settings,
                                _labelled("期待: ", expected), _labelled("実際: ", actual))
    return _verdict(problem, "wrong", "不正解：参照実装と一致しません。", where)


def check(name: str, answer: Callable, seed: int = 0, timeout: float | None = 10.0) -> Verdict:
    """Grade ``answer`` against problem ``name``; the ``Verdict`` shows the result in Japanese.

    ``answer`` is called with keyword arguments on ``PROBLEMS[name].trials`` random inputs drawn
    with ``seed``. ``timeout`` (seconds, None for no limit) bounds the whole check.
    """
    problem = _problem(name)
    if not callable(answer):
        raise TypeError(f"check の 2 番目の引数には関数そのものを渡してください（answer={answer!r} は"
                        f"呼び出せません）。関数を呼んだ結果ではなく、関数の名前を書きます。")
    if timeout is not None and not timeout > 0:
        raise ValueError(f"timeout は正の秒数か None です（timeout={timeout!r} が渡されました）")
    if problem.adapter is not None:
        if not isinstance(answer, type):
            raise TypeError(f"問題 {name!r} にはクラスそのものを渡してください（answer={answer!r} は"
                            f"クラスではありません）。インスタンスではなく、クラスの名前を書きます。")
        if any(_has_blank(getattr(f, "__code__", None)) for f in vars(answer).values()):
            return _blank(problem)
        answer = problem.adapter(answer)
    if _has_blank(getattr(answer, "__code__", None)):
        return _blank(problem)

    rng = _default_rng(seed)
    trials = [problem.make_inputs(rng) for _ in range(problem.trials)]
    expected = [problem.reference(**_deepcopy(inputs)) for inputs in trials]  # before the reader's code runs
    mismatch = _signature_error(answer, problem, trials[0])
    if mismatch:
        return _verdict(problem, "error", mismatch)

    deadline = None if timeout is None else time.monotonic() + timeout
    for number, (inputs, want) in enumerate(zip(trials, expected, strict=True), start=1):
        outcome = _run(answer, _deepcopy(inputs), None if deadline is None else deadline - time.monotonic())
        error, failed = outcome.error, outcome.timed_out or outcome.error is not None
        found = None if failed else _difference(want, outcome.value, problem.rtol, problem.atol)
        if not (failed or found):
            continue
        shown = inputs if problem.adapter is None else {  # a class problem: settings and shapes only
            "settings": inputs["settings"], "params の形": {k: v.shape for k, v in inputs["params"].items()},
            "ステップ数": len(inputs["grads"])}
        where = _show_inputs(f"入力（{problem.trials} 通り中 {number} 件目）:", shown)
        if outcome.timed_out:
            still = "関数はバックグラウンドのスレッドで動き続けています。止めるにはカーネルを再起動します。"
            return _verdict(problem, "timeout",
                            f"時間切れ：答えの関数が {timeout:g} 秒以内に終わりませんでした"
                            f"（無限ループになっていませんか）。",
                            where, still if outcome.still_running else "")
        if isinstance(error, NameError) and getattr(error, "name", None) == "___":
            return _blank(problem)  # the blank is in a helper function that the answer calls
        if error is not None:
            return _verdict(problem, "error", f"エラー：{type(error).__name__}: {error}",
                            _where(error, answer), where)
        if problem.adapter is not None:
            return _class_verdict(problem, inputs, want, outcome.value, where)
        kind, sentence = found
        return _verdict(problem, kind, f"不正解：{sentence}",
                        where, _labelled("期待: ", want), _labelled("実際: ", outcome.value))
    return _verdict(problem, "pass",
                    f"正解です。{problem.trials} 通りのランダムな入力で参照実装と一致しました。")
