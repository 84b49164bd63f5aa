"""A progress line for cells that run for a while: ``for x in dlopt.progress(xs, "探索"): ...``.

In a notebook (Jupyter, Colab: IPython with a kernel) one output line is shown and updated in place
(``display(..., display_id=True)`` and ``handle.update``): a bar with the count while the loop runs,
and at the end a final text without timings, ``探索: 完了（12/12）``. Outside a notebook (a script,
pytest, a terminal) nothing is shown.

The stored output stays deterministic for nbval. nbclient stores the last update of the line; nbval
records only the first message of a display (it ignores updates). So the first message and the
last update carry the same single MIME type, text/plain, with the final text, and the live bar
travels only in the updates between them (text/html and text/plain), which the next update
replaces. A loop that ends early leaves ``中断（5/12）``, which nbval reports as a difference.
"""

from __future__ import annotations

import html
import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

__all__ = ["progress", "final_text"]

T = TypeVar("T")
BAR_WIDTH = 20
MAX_UPDATES = 100


def final_text(description: str, done: int | None, total: int | None) -> str:
    """The line when the loop has ended: ``探索: 完了（12/12）`` (no timings, so it is reproducible)."""
    if total is None:
        return f"{description}: 完了"
    state = "完了" if done == total else "中断"
    return f"{description}: {state}（{done}/{total}）"


def _live(description: str, done: int, total: int | None) -> dict[str, str]:
    if total:
        filled = round(BAR_WIDTH * done / total)
        text = f"{description}: {'█' * filled}{'░' * (BAR_WIDTH - filled)} {done}/{total}"
        bar = f'<progress value="{done}" max="{total}" style="width: 12em"></progress>'
        markup = f"{html.escape(description)}: {bar} {done}/{total}"
    else:
        text = markup = f"{description}: {done}"
        markup = html.escape(markup)
    return {"text/plain": text, "text/html": f"<code>{markup}</code>"}


def _in_notebook() -> bool:
    """True under IPython with a kernel (Jupyter, Colab); False in a script or a terminal IPython."""
    if "IPython" not in sys.modules:
        return False
    from IPython import get_ipython

    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def _display(data: dict[str, str]):
    """Show ``data`` (MIME type → text) as a new line that can be updated; returns its handle."""
    from IPython.display import display

    return display(data, raw=True, display_id=True)


def progress(iterable: Iterable[T], description: str = "進行中", total: int | None = None) -> Iterator[T]:
    """Yield the items of ``iterable``; in a notebook, show how many are done.

    ``total`` defaults to ``len(iterable)`` when it has one. The line is updated at most about
    100 times while the loop runs, and once more at the end to ``final_text(...)``.
    """
    if total is None:
        try:
            total = len(iterable)  # type: ignore[arg-type]
        except TypeError:
            total = None
    if not _in_notebook():
        yield from iterable
        return
    handle = _display({"text/plain": final_text(description, total, total)})
    handle.update(_live(description, 0, total), raw=True)
    every = max(1, (total or MAX_UPDATES) // MAX_UPDATES)
    done = 0
    try:
        for item in iterable:
            yield item
            done += 1
            if done % every == 0:
                handle.update(_live(description, done, total), raw=True)
    finally:
        handle.update({"text/plain": final_text(description, done, total)}, raw=True)
