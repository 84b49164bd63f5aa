"""A question set for a class: a printable HTML page or a Jupyter notebook, without the answers
(``answers=True`` adds the key and the explanations at the end, on a page of their own).

    python -m dlopt.exam export --chapter adam --chapter adamw --format html -o adam.html
    python -m dlopt.exam export --kind code --format ipynb -o code.ipynb
    python -m dlopt.exam list
"""

from __future__ import annotations

import html
import json

from .bank import CHAPTER_NAMES, LABELS, Question, groups, questions
from .render import STYLE, _choice_html, _units, markdown_to_html

__all__ = ["coverage", "select", "summary", "to_html", "to_notebook"]

MATHJAX = "https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-chtml.js"


def select(
    chapters: list[str] | None = None, kind: str | None = None, ids: list[str] | None = None
) -> list[Question]:
    """The questions of ``chapters`` (None: all) of ``kind``, or exactly ``ids`` (in the bank's order).
    A set's questions come together: asking for one question of a set brings its whole set."""
    found = [q for chapter in (chapters or [None]) for q in questions(chapter, kind)]
    if ids is not None:
        known = {q.id for q in questions()}
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise ValueError(f"ids に知らない問題があります: {unknown}")
        wanted = set(ids)
        wanted |= {
            q.id
            for q in questions()
            if q.group and q.group in {p.group for p in questions() if p.id in wanted}
        }
        found = [q for q in questions() if q.id in wanted]
    if not found:
        raise ValueError("条件に合う問題がありません（chapters, kind, ids を確かめてください）")
    return found


def _title(found: list[Question]) -> str:
    chapters = list(dict.fromkeys(q.chapter for q in found))
    names = "・".join(CHAPTER_NAMES[c] for c in chapters) if len(chapters) <= 3 else f"{len(chapters)} 章"
    return f"E資格 形式の問題（{names}、{len(found)} 問）"


def _answer_key(found: list[Question]) -> list[tuple[int, Question]]:
    numbered, number = [], 0
    for unit in _units(found):
        for q in unit:
            number += 1
            numbered.append((number, q))
    return numbered


def to_html(found: list[Question], answers: bool = False) -> str:
    """A standalone page to print: the questions with their choices (and, if ``answers``, the key)."""
    parts, number = [], 0
    for unit in _units(found):
        if unit[0].group:
            first, last = number + 1, number + len(unit)
            span = f"問 {first}〜{last}" if last > first else f"問 {first}"
            parts.append(
                f'<div class="dlopt-exam-context"><p>{span} は次の文脈に基づきます。</p>'
                f"{markdown_to_html(groups()[unit[0].group].context)}</div>"
            )
        for q in unit:
            number += 1
            choices = "".join(
                f"<li>（{LABELS[i]}）{_choice_html(q, c)}</li>" for i, c in enumerate(q.choices)
            )
            parts.append(
                f'<div class="dlopt-exam-question"><div class="dlopt-exam-stem">'
                f'<span class="dlopt-exam-number">問 {number}</span>{markdown_to_html(q.stem)}</div>'
                f'<ul class="dlopt-exam-choices">{choices}</ul></div>'
            )
    if answers:
        parts.append('<h2 style="break-before:page">解答と解説</h2>')
        for n, q in _answer_key(found):
            parts.append(f"<h3>問 {n}：（{q.label}）</h3>{markdown_to_html(q.explanation)}")
    title = html.escape(_title(found))
    return (
        f'<!DOCTYPE html>\n<html lang="ja"><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<style>body{{font-family:sans-serif;max-width:48rem;margin:1.5rem auto;padding:0 1rem}}"
        f"{STYLE}</style>"
        f'<script async src="{MATHJAX}"></script></head>'
        f'<body><div class="dlopt-exam"><h1>{title}</h1>'
        f"<p>名前：＿＿＿＿＿＿＿＿　　得点：　　／ {len(found)}</p>{''.join(parts)}</div></body></html>\n"
    )


def _cell(source: str) -> dict:
    return {"cell_type": "markdown", "metadata": {}, "source": source}


def _markdown_choice(question: Question, index: int) -> str:
    choice, label = question.choices[index], f"- （{LABELS[index]}）"
    if question.kind != "code":
        return f"{label} {choice}"
    if "\n" not in choice:
        return f"{label} `{choice}`"
    indented = choice.replace("\n", "\n  ")
    return f"{label}\n\n  ```python\n  {indented}\n  ```"


def to_notebook(found: list[Question], answers: bool = False) -> str:
    """A Jupyter notebook (nbformat 4, JSON): one Markdown cell a question, and a cell to write the
    answers in; Jupyter renders the $math$ itself."""
    cells, number = (
        [_cell(f"# {_title(found)}\n\n各問の選択肢から 1 つを選び、最後のセルに記号を書いてください。")],
        0,
    )
    for unit in _units(found):
        if unit[0].group:
            cells.append(
                _cell(
                    f"**問 {number + 1}〜{number + len(unit)} の文脈**\n\n{groups()[unit[0].group].context}"
                )
            )
        for q in unit:
            number += 1
            choices = "\n".join(_markdown_choice(q, i) for i in range(4))
            cells.append(_cell(f"**問 {number}** {q.stem}\n\n{choices}"))
    cells.append(
        {
            "cell_type": "code",
            "metadata": {},
            "execution_count": None,
            "outputs": [],
            "source": "# 解答（例：{1: 'ア', 2: 'ウ'}）\nanswers = {}",
        }
    )
    if answers:
        cells += [_cell("## 解答と解説")] + [
            _cell(f"**問 {n}：（{q.label}）**\n\n{q.explanation}") for n, q in _answer_key(found)
        ]
    for number, cell in enumerate(cells):  # nbformat 4.5: every cell has an id
        cell["id"] = f"cell-{number}"
    notebook = {
        "cells": cells,
        "metadata": {"language_info": {"name": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(notebook, ensure_ascii=False, indent=1) + "\n"


def summary() -> str:
    """Questions per chapter and kind, as a plain table."""
    kinds = ("concept", "formula", "calculation", "code")
    lines = [f"{'章':<18}" + "".join(f"{k:>12}" for k in kinds) + f"{'計':>6}"]
    for chapter in CHAPTER_NAMES:
        found = questions(chapter)
        lines.append(
            f"{chapter:<18}"
            + "".join(f"{sum(q.kind == k for q in found):>12}" for k in kinds)
            + f"{len(found):>6}"
        )
    total = questions()
    lines.append(
        f"{'total':<18}"
        + "".join(f"{sum(q.kind == k for q in total):>12}" for k in kinds)
        + f"{len(total):>6}"
    )
    return "\n".join(lines)


def coverage() -> str:
    """For instructors: each syllabus keyword (and 発展), the chapters and question sets that train it,
    as a Markdown table."""
    from .bank import KEYWORDS

    rows = ["| キーワード | 章 | 問題数 | うち計算・コード |", "|---|---|---|---|"]
    for keyword in KEYWORDS:
        found = [q for q in questions() if q.keyword == keyword]
        chapters = "、".join(CHAPTER_NAMES[c] for c in dict.fromkeys(q.chapter for q in found))
        practical = sum(q.kind in ("calculation", "code") for q in found)
        rows.append(f"| {keyword} | {chapters} | {len(found)} | {practical} |")
    return "\n".join(rows)
