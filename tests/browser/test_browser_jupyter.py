"""The quiz in JupyterLab: a reader runs the cell, clicks a choice and sees the verdict.

A JupyterLab server on localhost (the venv's own, no token) serves a notebook with one cell,
``dlopt.exam.quiz("sgd")``; Chromium opens it with every other request blocked, runs the cell
with Shift+Enter, and answers a question. Stored outputs of a notebook that Jupyter does not trust
have their scripts removed; running the cell (or trusting the notebook) is what makes the quiz
interactive, as the chapters say.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    root = tmp_path_factory.mktemp("lab")
    cell = {
        "cell_type": "code",
        "execution_count": None,
        "metadata": {},
        "outputs": [],
        "source": 'import dlopt\ndlopt.exam.quiz("sgd")',
    }
    notebook = {
        "cells": [cell],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (root / "quiz.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    port = free_port()
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(root / ".config"),
        "JUPYTER_DATA_DIR": str(root / ".data"),
        "JUPYTER_RUNTIME_DIR": str(root / ".runtime"),
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--allow-root",  # CI runs as root
            f"--port={port}",
            "--IdentityProvider.token=",
            "--ServerApp.password=",
            "--ServerApp.disable_check_xsrf=True",
            f"--ServerApp.root_dir={root}",
            "--LabApp.news_url=",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(root / "lab.log", "w"),  # read when it does not start
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{url}/api/status", timeout=1)
            break
        except OSError:
            time.sleep(0.5)
    else:
        server.kill()
        pytest.fail(f"JupyterLab did not start: {(root / 'lab.log').read_text()[-2000:]}")
    yield url
    server.terminate()
    server.wait(timeout=20)


def test_the_quiz_answers_a_click_in_jupyterlab(lab, chromium_browser):
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 1000})
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(lab) or route.request.url.startswith("ws://127.0.0.1")
            else route.abort()
        ),
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(f"{lab}/lab/tree/quiz.ipynb")
        page.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=60_000)
        # run only once the kernel is connected: a Shift+Enter before that only moves the cursor
        page.get_by_text(re.compile(r"\(ipykernel\) \| Idle")).first.wait_for(timeout=60_000)
        page.locator(".jp-Notebook .jp-Cell .jp-InputArea-editor").first.click()
        page.keyboard.press("Shift+Enter")
        quiz = page.locator(".jp-OutputArea .dlopt-exam-quiz")
        quiz.wait_for(timeout=60_000)
        question = quiz.locator(".dlopt-exam-question").first
        answer = int(question.get_attribute("data-answer"))
        question.locator(".dlopt-exam-choice").nth(answer).click()
        question.locator(".dlopt-exam-verdict").filter(has_text="正解です。").wait_for(timeout=5_000)
        assert question.locator(".dlopt-exam-explanation").is_visible()
        wrong = quiz.locator(".dlopt-exam-question").nth(1)
        wrong.locator(".dlopt-exam-choice").nth((int(wrong.get_attribute("data-answer")) + 1) % 4).click()
        assert wrong.locator(".dlopt-exam-verdict").inner_text() == "不正解です。"
        assert not [e for e in errors if "dlopt" in e or "Exam" in e], errors
    finally:
        context.close()
