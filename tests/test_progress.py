"""dlopt.progress: a live line in a notebook, a deterministic final line, nothing outside IPython."""

from __future__ import annotations

import importlib

import nbformat
import pytest
from nbclient import NotebookClient

import dlopt

# the module; ``dlopt.progress`` is the function it exports
progress_module = importlib.import_module("dlopt.progress")


class _Handle:
    """Stands in for IPython's DisplayHandle: records what the line shows, in order."""

    def __init__(self, shown: list[dict[str, str]], data: dict[str, str]) -> None:
        self.shown = shown
        shown.append(data)

    def update(self, data, raw=False):
        assert raw
        self.shown.append(data)


@pytest.fixture
def notebook_display(monkeypatch):
    shown: list[dict[str, str]] = []
    monkeypatch.setattr(progress_module, "_in_notebook", lambda: True)
    monkeypatch.setattr(progress_module, "_display", lambda data: _Handle(shown, data))
    return shown


def test_outside_ipython_it_only_yields(capsys):
    assert list(dlopt.progress(range(5), description="探索")) == [0, 1, 2, 3, 4]
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_final_line_uses_len(notebook_display):
    assert list(dlopt.progress([10, 20, 30], description="探索")) == [10, 20, 30]
    assert notebook_display[-1] == {"text/plain": "探索: 完了（3/3）"}
    assert "3/3" not in notebook_display[1]["text/plain"]  # the live line starts at 0/3
    assert "0/3" in notebook_display[1]["text/plain"] and "<progress" in notebook_display[1]["text/html"]


def test_first_message_equals_the_stored_final_line(notebook_display):
    """nbval records a display's first message and nbclient stores its last update: they agree."""
    list(dlopt.progress(range(12), description="シードの掃引"))
    assert notebook_display[0] == notebook_display[-1] == {"text/plain": "シードの掃引: 完了（12/12）"}


def test_total_for_an_iterable_without_len(notebook_display):
    items = list(dlopt.progress((i * i for i in range(4)), description="学習", total=4))
    assert items == [0, 1, 4, 9]
    assert notebook_display[-1] == {"text/plain": "学習: 完了（4/4）"}


def test_without_len_or_total_the_final_line_has_no_count(notebook_display):
    list(dlopt.progress(iter(range(3)), description="学習"))
    assert notebook_display[0] == notebook_display[-1] == {"text/plain": "学習: 完了"}


def test_a_loop_left_early_says_so(notebook_display):
    for i in dlopt.progress(range(10), description="探索"):
        if i == 4:
            break
    assert notebook_display[-1] == {"text/plain": "探索: 中断（4/10）"}


def test_updates_are_few_for_long_loops(notebook_display):
    list(dlopt.progress(range(10_000), description="探索"))
    assert len(notebook_display) <= 2 + 100 + 1


def test_in_a_kernel_the_stored_output_is_the_final_line():
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell(
            "import dlopt\n"
            "total = 0\n"
            "for i in dlopt.progress(range(12), description='探索'):\n"
            "    total += i\n"
            "print(total)"
        )
    ]
    NotebookClient(notebook, timeout=120, kernel_name="python3").execute()
    outputs = notebook.cells[0].outputs
    assert [out["output_type"] for out in outputs] == ["display_data", "stream"]
    assert outputs[0]["data"] == {"text/plain": "探索: 完了（12/12）"}
    assert outputs[1]["text"] == "66\n"
