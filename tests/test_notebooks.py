"""Checks of the chapter notebooks themselves (nbval checks their outputs; this checks the rest).

- the first two cells are generated from _config.yml (Colab badge + title, Colab-only setup cell);
- every code cell was executed, in order, in one fresh kernel (a stripped or partly run notebook
  would pass nbval while testing nothing);
- no stored output is an error or a stderr stream;
- every page is in _toc.yml and every _toc.yml entry exists.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import headers  # noqa: E402

NOTEBOOKS = sorted((ROOT / "chapters").glob("*.ipynb"))


def _toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [chapter["file"] for chapter in part["chapters"]]
    return files


def test_there_are_chapters():
    assert NOTEBOOKS, "no chapter notebooks found"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_header_cells_agree_with_config(path):
    assert headers.problems(path) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_code_cell_was_executed_in_order(path):
    notebook = nbformat.read(path, as_version=4)
    counts = [cell.execution_count for cell in notebook.cells if cell.cell_type == "code"]
    assert None not in counts, f"{path.name}: {counts.count(None)} code cells were never executed"
    assert counts == list(range(1, len(counts) + 1)), f"{path.name}: not run top to bottom once"
    assert sum(len(cell.outputs) for cell in notebook.cells if cell.cell_type == "code") > 0


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_errors_or_stderr_in_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            assert output.output_type != "error", f"{path.name} cell {index}: stored error"
            assert output.get("name") != "stderr", f"{path.name} cell {index}: stderr {output.text!r}"


def test_every_page_is_in_the_toc_and_back():
    in_toc = set(_toc_files())
    pages = {f"chapters/{p.stem}" for p in (ROOT / "chapters").iterdir() if p.suffix in {".md", ".ipynb"}}
    assert pages - in_toc == set(), "pages missing from _toc.yml"
    assert in_toc - pages == set(), "_toc.yml entries without a page"
