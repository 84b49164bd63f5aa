"""Colab, proven: a chapter runs in a fresh environment that has only what a Colab runtime has.

The test copies one chapter notebook into an empty folder, creates a new virtual environment with
numpy, matplotlib, torch, ipykernel and nbclient only (plus a stand-in ``google.colab`` module, so
the notebook believes it runs in Colab), and executes the notebook there. Its setup cell installs
dlopt exactly as in Colab, from the repository's committed HEAD via ``git+file://`` in place of the
repository URL. The notebook must run to the end, with its figures and no stderr.

It takes about two minutes, so it runs only when DLOPT_COLAB_TEST=1 (``make test`` sets it).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
CHAPTER = ROOT / "chapters" / "adagrad.ipynb"
COLAB_PACKAGES = ("numpy", "matplotlib", "torch", "ipykernel", "nbclient")

pytestmark = pytest.mark.skipif(
    os.environ.get("DLOPT_COLAB_TEST") != "1", reason="slow: set DLOPT_COLAB_TEST=1 (make test does)"
)


def _pins(names) -> list[str]:
    """The versions of requirements.txt for the packages a Colab runtime already has."""
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+)==(\S+)$", line.strip())
        if match:
            pins[match[1].lower()] = match[0]
    return [pins[name] for name in names]


def test_chapter_runs_in_a_fresh_colab_like_environment(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git is needed for the git+file:// install")
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True)
    if head.returncode != 0:
        pytest.skip("not a git checkout")
    venv = tmp_path / "colab-venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([python, "-m", "pip", "install", "-q", "--upgrade", "pip"], check=True)  # Colab's is new
    subprocess.run([python, "-m", "pip", "install", "-q", *_pins(COLAB_PACKAGES)], check=True)
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()
    colab = Path(site) / "google" / "colab"
    colab.mkdir(parents=True)
    (colab / "__init__.py").write_text('"""Stand-in: makes the notebook take its Colab branch."""\n')
    (Path(site) / "google_colab_standin.pth").write_text("import google.colab\n")  # Colab imports it at start
    no_dlopt = subprocess.run([python, "-c", "import dlopt"], capture_output=True)
    assert no_dlopt.returncode != 0, "the fresh environment must not have dlopt before the setup cell"

    notebook = nbformat.read(CHAPTER, as_version=4)
    setup = notebook.cells[1]
    assert 'REPO_URL = "git+https://' in setup.source
    setup.source = re.sub(r'REPO_URL = "git\+https://[^"]+"', f'REPO_URL = "git+file://{ROOT}"', setup.source)
    workdir = tmp_path / "empty"
    workdir.mkdir()
    source = workdir / CHAPTER.name
    nbformat.write(notebook, source)

    runner = (
        "import nbformat, sys\n"
        "from nbclient import NotebookClient\n"
        "nb = nbformat.read(sys.argv[1], as_version=4)\n"
        "NotebookClient(nb, timeout=600, kernel_name='python3').execute()\n"
        "nbformat.write(nb, sys.argv[1])\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHONPATH"))}
    result = subprocess.run([python, "-c", runner, str(source)], cwd=workdir, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]

    executed = nbformat.read(source, as_version=4)
    outputs = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs]
    assert any("image/png" in o.get("data", {}) for o in outputs), "no figure was drawn"
    stderr = [o.text for o in outputs if o.get("name") == "stderr"]
    assert not stderr, stderr
    installed = subprocess.run([python, "-c", "import dlopt; print(dlopt.__file__)"],
                               capture_output=True, text=True, check=True).stdout
    assert str(ROOT) not in installed, "dlopt must come from the git install, not the checkout"
