"""Generate (or check) the first two cells of every chapter notebook from ``_config.yml``.

Cell 1 is the Open-in-Colab badge followed by the chapter title; cell 2 installs dlopt, only in Colab,
from ``repository.url``. ``repository.url`` is the single place that names the repository.

Usage:
    python tools/headers.py new SLUG "タイトル"   create chapters/SLUG.ipynb with the two cells
    python tools/headers.py write [NOTEBOOK...]    rewrite the header cells (default: every notebook)
    python tools/headers.py check                  exit 1 if a notebook disagrees with _config.yml
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent
BADGE = "https://colab.research.google.com/assets/colab-badge.svg"
PLACEHOLDER = "import sys"


def repository() -> tuple[str, str]:
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    return config["repository"]["url"].rstrip("/"), config["repository"].get("branch", "main")


def badge_cell_source(slug: str, title: str) -> str:
    url, branch = repository()
    github_path = url.removeprefix("https://github.com/")
    colab = f"https://colab.research.google.com/github/{github_path}/blob/{branch}/chapters/{slug}.ipynb"
    return f"[![Colab で開く]({BADGE})]({colab})\n\n# {title}"


def setup_cell_source() -> str:
    url, _ = repository()
    return (
        "# Colab で開いたときだけ、この本のパッケージ dlopt をインストールします。\n"
        "import sys\n"
        "\n"
        'if "google.colab" in sys.modules:\n'
        "    import subprocess\n"
        "\n"
        f'    REPO_URL = "git+{url}"\n'
        '    pip = [sys.executable, "-m", "pip", "install", "-q"]\n'
        '    subprocess.run([*pip, f"dlopt @ {REPO_URL}"], check=True)'
    )


def title_of(notebook) -> str:
    match = re.search(r"^# (.+)$", notebook.cells[0].source, flags=re.MULTILINE)
    if not match:
        raise ValueError("the first cell has no '# title' line")
    return match[1].strip()


def problems(path: Path) -> list[str]:
    notebook = nbformat.read(path, as_version=4)
    found = []
    if len(notebook.cells) < 2:
        return [f"{path.name}: fewer than two cells"]
    first, second = notebook.cells[0], notebook.cells[1]
    try:
        expected = badge_cell_source(path.stem, title_of(notebook))
    except ValueError as error:
        return [f"{path.name}: {error}"]
    if first.cell_type != "markdown" or first.source.strip() != expected:
        found.append(f"{path.name}: cell 1 is not the Colab badge + title generated from _config.yml")
    if second.cell_type != "code" or second.source.strip() != setup_cell_source():
        found.append(f"{path.name}: cell 2 is not the Colab setup cell generated from _config.yml")
    return found


def write(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    notebook.cells[0].source = badge_cell_source(path.stem, title_of(notebook))
    if notebook.cells[1].cell_type == "code" and "google.colab" in notebook.cells[1].source:
        notebook.cells[1].source = setup_cell_source()
    else:
        notebook.cells.insert(1, nbformat.v4.new_code_cell(setup_cell_source()))
    # a draft's placeholder for the setup cell (a cell holding only `import sys`) is dropped
    if len(notebook.cells) > 2 and notebook.cells[2].cell_type == "code":
        if notebook.cells[2].source.strip() == PLACEHOLDER:
            del notebook.cells[2]
    nbformat.write(notebook, path)


def new(slug: str, title: str) -> Path:
    path = ROOT / "chapters" / f"{slug}.ipynb"
    if path.exists():
        raise FileExistsError(path)
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell(badge_cell_source(slug, title)),
        nbformat.v4.new_code_cell(setup_cell_source()),
    ]
    nbformat.write(notebook, path)
    return path


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    notebooks = sorted((ROOT / "chapters").glob("*.ipynb"))
    if command == "new":
        print(new(argv[1], argv[2]))
        return 0
    if command == "write":
        for path in [Path(p) for p in argv[1:]] or notebooks:
            write(path)
        return 0
    found = [p for path in notebooks for p in problems(path)]
    print("\n".join(found) or f"{len(notebooks)} notebooks agree with _config.yml")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
