"""Re-execute chapter notebooks in place and normalize them so that re-running changes nothing.

Usage: python tools/execute.py chapters/adagrad.ipynb [...]

- runs every cell with the interpreter of this environment (nbclient, kernel ``python3``);
- keeps only stable metadata (no timings, no Python patch version) and gives every cell a stable id;
- prints each chapter's run time (never stored in the notebook) and warns past the time budget.
"""

from __future__ import annotations

import hashlib
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

BUDGET_SECONDS = {"choosing": 60.0}
DEFAULT_BUDGET = 20.0
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def merge_streams(outputs: list) -> list:
    """Join consecutive stdout (or stderr) chunks: how print output is chunked varies between runs."""
    merged: list = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (
            output.output_type == "stream"
            and previous is not None
            and previous.output_type == "stream"
            and previous.name == output.name
        ):
            previous.text += output.text
        else:
            merged.append(output)
    return merged


def normalize(notebook: nbformat.NotebookNode, name: str) -> None:
    notebook.metadata = nbformat.from_dict(
        {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}}
    )
    notebook.nbformat, notebook.nbformat_minor = 4, 5
    seen: set[str] = set()
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code":
            cell.outputs = merge_streams(cell.outputs)
        cell.metadata.pop("execution", None)
        cell.metadata.pop("collapsed", None)
        cell.metadata.pop("scrolled", None)
        cell_id = cell.get("id")
        if not cell_id or cell_id in seen:
            digest = hashlib.sha1(f"{name}:{index}:{cell.source}".encode()).hexdigest()
            cell_id = digest[:12]
        cell.id = cell_id
        seen.add(cell_id)


def execute(path: Path) -> float:
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - start
    normalize(notebook, path.stem)
    nbformat.validate(notebook)
    nbformat.write(notebook, path)
    return elapsed


def main(paths: list[str]) -> int:
    over = []
    for name in paths:
        path = Path(name)
        elapsed = execute(path)
        budget = BUDGET_SECONDS.get(path.stem, DEFAULT_BUDGET)
        flag = "" if elapsed <= budget else f"  <-- over the {budget:.0f} s budget"
        if flag:
            over.append(path.stem)
        print(f"{path}: {elapsed:5.1f} s{flag}", flush=True)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
