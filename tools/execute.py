"""Re-execute chapter notebooks in place and normalize them so that re-running changes nothing.

Usage: python tools/execute.py chapters/adagrad.ipynb [...]

- runs every cell with the interpreter of this environment (nbclient, kernel ``python3``, no timings);
- merges consecutive stream outputs (nbconvert's CoalesceStreamsPreprocessor): print chunking varies;
- keeps only stable metadata (no Python patch version, no editor state) and gives every cell a stable id;
- prints each chapter's run time (never stored in the notebook) and warns past the time budget.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbconvert.preprocessors import CoalesceStreamsPreprocessor

# One BLAS/OpenMP thread, as the Makefile runs nbval: a few stored numbers (Muon's bfloat16 rounding, a
# run near divergence) depend on the order of summation, and so on the number of threads.
os.environ.update(OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")

BUDGET_SECONDS = {"choosing": 60.0, "distributed": 60.0}
DEFAULT_BUDGET = 20.0
METADATA = {
    "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
}
EDITOR_CELL_METADATA = ("execution", "collapsed", "scrolled")


def normalize(notebook: nbformat.NotebookNode, name: str) -> None:
    """Stable metadata, and stable cell ids: an existing id is kept, a missing or repeated one is a hash."""
    notebook.metadata = nbformat.from_dict(METADATA)
    notebook.nbformat, notebook.nbformat_minor = 4, 5
    seen: set[str] = set()
    for index, cell in enumerate(notebook.cells):
        for key in EDITOR_CELL_METADATA:
            cell.metadata.pop(key, None)
        cell_id = cell.get("id")
        if not cell_id or cell_id in seen:
            cell_id = hashlib.sha1(f"{name}:{index}:{cell.source}".encode()).hexdigest()[:12]
        cell.id = cell_id
        seen.add(cell_id)


def execute(path: Path) -> float:
    # nbformat.reader does not validate, so a missing or repeated id reaches normalize() instead of
    # being replaced by a random one (nbformat.read's repair).
    with path.open(encoding="utf-8") as file:
        notebook = nbformat.convert(nbformat.reader.read(file), 4)
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
    CoalesceStreamsPreprocessor().preprocess(notebook, {})
    normalize(notebook, path.stem)
    nbformat.validate(notebook)
    nbformat.write(notebook, path)
    return elapsed


def main(paths: list[str]) -> int:
    over = False
    for name in paths:
        path = Path(name)
        elapsed = execute(path)
        budget = BUDGET_SECONDS.get(path.stem, DEFAULT_BUDGET)
        flag = "" if elapsed <= budget else f"  <-- over the {budget:.0f} s budget"
        over = over or bool(flag)
        print(f"{path}: {elapsed:5.1f} s{flag}", flush=True)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
