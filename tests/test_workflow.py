"""The publishing workflow (.github/workflows/book.yml) runs what the README tells people to run, then
deploys the book to GitHub Pages."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "book.yml"


def _readme_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```(?:bash|sh)?\n(.*?)```", readme, flags=re.DOTALL)
    assert block, "README.md has no code block"
    lines = [line.split("#", 1)[0].strip() for line in block[1].splitlines()]
    return [line for line in lines if line]


def _workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def _steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def _uses(workflow: dict) -> list[str]:
    return [step["uses"].split("@")[0] for step in _steps(workflow) if "uses" in step]


def test_the_readme_has_the_commands():
    assert "make test" in _readme_commands()


def test_workflow_runs_every_command_of_the_readme():
    run = "\n".join(step.get("run", "") for step in _steps(_workflow()))
    missing = [command for command in _readme_commands() if command not in run.splitlines()]
    assert missing == [], f"the workflow does not run {missing}"


def test_workflow_runs_on_push_to_main():
    workflow = _workflow()
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads the key `on` as True
    assert "main" in triggers["push"]["branches"]


def test_workflow_sets_up_python_311_and_the_browser():
    workflow = _workflow()
    setup = next(step for step in _steps(workflow) if step.get("uses", "").startswith("actions/setup-python"))
    assert str(setup["with"]["python-version"]) == "3.11"
    run = "\n".join(step.get("run", "") for step in _steps(workflow))
    for package in ("chromium", "fonts-noto-cjk"):
        assert re.search(rf"apt-get install .*{package}", run), f"the workflow does not install {package}"


def test_workflow_publishes_the_built_book_to_pages():
    workflow = _workflow()
    uses = _uses(workflow)
    for action in ("actions/checkout", "actions/upload-pages-artifact", "actions/deploy-pages"):
        assert action in uses
    upload = next(s for s in _steps(workflow) if "actions/upload-pages-artifact" in s.get("uses", ""))
    assert upload["with"]["path"] == "_build/html"
    assert workflow["permissions"]["pages"] == "write"
    assert workflow["permissions"]["id-token"] == "write"
    deploy = next(job for job in workflow["jobs"].values() if "actions/deploy-pages" in str(job))
    assert deploy["environment"]["name"] == "github-pages"
