r"""The question bank as pages a reader can answer: a chapter's quiz and the timed mock exam.

Both are self-contained HTML (no kernel, no request, no external script): the questions are rendered
here, in Python, from their Markdown, and a small inline script reacts to clicks. In the built book,
in Jupyter and in Colab the reader clicks a choice and sees right or wrong and the explanation. Math is
written ``\( \)`` / ``\[ \]`` for the page's MathJax (the book serves its own copy; JupyterLab has one);
in a Colab output, which has none, the script loads MathJax once when the page is online and otherwise
leaves the TeX as it is. Printed, a quiz shows its questions and the list of answers, not the buttons'
state. The HTML is deterministic (same bank, same bytes), so notebooks that show it stay nbval-stable;
the mock exam draws its questions in the browser, each time the reader starts it.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from dataclasses import dataclass
from importlib import resources

from .bank import BLANKS, CHAPTER_NAMES, LABELS, Question, groups, questions

__all__ = ["Quiz", "markdown_to_html", "quiz", "mock_exam"]

# ------------------------------------------------------------------------------------- Markdown


_INLINE = re.compile(
    r"(?P<code>`[^`\n]+`)|(?P<display>\$\$.+?\$\$)|(?P<math>(?<!\\)\$[^$\n]+?(?<!\\)\$)|(?P<bold>\*\*[^*\n]+?\*\*)",
    flags=re.S,
)


def _blanks(escaped: str) -> str:
    for blank in BLANKS:
        escaped = escaped.replace(blank, f'<span class="dlopt-exam-blank">{blank}</span>')
    return escaped


def _inline(text: str) -> str:
    """Inline Markdown: `code`, $math$, $$math$$, **bold**; everything else escaped."""
    out, last = [], 0
    for match in _INLINE.finditer(text):
        out.append(_blanks(html.escape(text[last : match.start()], quote=False)))
        token = match.group(0)
        if match.group("code"):
            out.append(f"<code>{_blanks(html.escape(token[1:-1], quote=False))}</code>")
        elif match.group("display"):
            out.append(f"\\[{html.escape(token[2:-2], quote=False)}\\]")
        elif match.group("math"):
            out.append(f"\\({html.escape(token[1:-1], quote=False)}\\)")
        else:
            out.append(f"<strong>{_inline(token[2:-2])}</strong>")
        last = match.end()
    out.append(_blanks(html.escape(text[last:], quote=False)))
    return "".join(out)


def _code_block(code: str) -> str:
    return (
        f'<pre class="dlopt-exam-code"><code>{_blanks(html.escape(code.rstrip(), quote=False))}</code></pre>'
    )


def _table(lines: list[str]) -> str:
    rows = [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in lines]
    header, body = rows[0], [r for r in rows[1:] if not all(re.fullmatch(r":?-+:?", c) for c in r)]
    head = "".join(f"<th>{_inline(c)}</th>" for c in header)
    cells = "".join("<tr>" + "".join(f"<td>{_inline(c)}</td>" for c in row) + "</tr>" for row in body)
    return f'<table class="dlopt-exam-table"><thead><tr>{head}</tr></thead><tbody>{cells}</tbody></table>'


def markdown_to_html(text: str) -> str:
    """The bank's Markdown subset as HTML: paragraphs, ``- `` lists, ``| |`` tables, fenced code,
    `code`, **bold**, and $math$ / $$math$$ (as ``\\( \\)`` and ``\\[ \\]`` for MathJax)."""
    parts, lines, i = [], text.strip("\n").split("\n"), 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("```"):
            end = next((j for j in range(i + 1, len(lines)) if lines[j].startswith("```")), len(lines))
            parts.append(_code_block("\n".join(lines[i + 1 : end])))
            i = end + 1
        elif line.lstrip().startswith("|"):
            end = next((j for j in range(i, len(lines)) if not lines[j].lstrip().startswith("|")), len(lines))
            parts.append(_table(lines[i:end]))
            i = end
        elif re.match(r"\s*- ", line):
            items = []
            while i < len(lines) and re.match(r"\s*- ", lines[i]):
                items.append(lines[i].split("- ", 1)[1])
                i += 1
                while i < len(lines) and lines[i].startswith("  ") and not re.match(r"\s*- ", lines[i]):
                    items[-1] += " " + lines[i].strip()
                    i += 1
            parts.append("<ul>" + "".join(f"<li>{_inline(item)}</li>" for item in items) + "</ul>")
        elif not line.strip():
            i += 1
        else:
            paragraph = [line]
            i += 1
            while i < len(lines) and lines[i].strip() and not re.match(r"(```|\s*\||\s*- )", lines[i]):
                paragraph.append(lines[i])
                i += 1
            parts.append(f"<p>{'<br>'.join(_inline(p) for p in paragraph)}</p>")
    return "".join(parts)


def _choice_html(question: Question, choice: str) -> str:
    if question.kind == "code":
        if "\n" in choice:
            return _code_block(choice)
        return f"<code>{html.escape(choice, quote=False)}</code>"
    return _inline(choice)


# -------------------------------------------------------------------------------- the records


def _record(number: int | str, question: Question) -> dict:
    """What the page needs of one question, rendered."""
    return {
        "id": question.id,
        "chapter": question.chapter,
        "number": number,
        "answer": question.answer,
        "group": question.group,
        "blank": question.blank,
        "kind": question.kind,
        "stem": markdown_to_html(question.stem),
        "choices": [_choice_html(question, c) for c in question.choices],
        "explanation": markdown_to_html(question.explanation),
    }


def _question_html(prefix: str, record: dict) -> str:
    qid = f"{prefix}-{record['id']}"
    buttons = "".join(
        f'<li><button type="button" class="dlopt-exam-choice" data-choice="{i}">'
        f'<span class="dlopt-exam-label">（{LABELS[i]}）</span><span>{choice}</span></button></li>'
        for i, choice in enumerate(record["choices"])
    )
    return (
        f'<div class="dlopt-exam-question" id="{qid}" data-answer="{record["answer"]}" '
        f'data-chapter="{record["chapter"]}">'
        f'<div class="dlopt-exam-stem"><span class="dlopt-exam-number">問 {record["number"]}</span>'
        f'{record["stem"]}</div><ol class="dlopt-exam-choices">{buttons}</ol>'
        f'<div class="dlopt-exam-verdict" role="status" aria-live="polite"></div>'
        f'<div class="dlopt-exam-explanation" hidden>'
        f'<p class="dlopt-exam-key">正解は（{LABELS[record["answer"]]}）です。</p>'
        f"{record['explanation']}</div></div>"
    )


def _units(found: list[Question]) -> list[list[Question]]:
    """The questions in sets: a group's questions together (where its first question stands)."""
    units: list[list[Question]] = []
    by_group: dict[str, list[Question]] = {}
    for q in found:
        if q.group is None:
            units.append([q])
        elif q.group in by_group:
            by_group[q.group].append(q)
        else:
            by_group[q.group] = [q]
            units.append(by_group[q.group])
    return units


def _context_html(group_id: str, chapter: str, members: list[dict]) -> str:
    numbers = [m["number"] for m in members]
    span = f"問 {numbers[0]}〜{numbers[-1]}" if len(numbers) > 1 else f"問 {numbers[0]}"
    context = markdown_to_html(groups(chapter)[group_id].context)
    return (f'<div class="dlopt-exam-context"><p class="dlopt-exam-span">{span} は次の文脈に基づきます。</p>'
            f"{context}</div>")


# ------------------------------------------------------------------------------------- the page

def _asset(name: str) -> str:
    return (resources.files(__package__) / name).read_text(encoding="utf-8")


# The look and the behaviour, inlined into every output (exam.css, exam.js next to this file).
STYLE = re.sub(r"\s*([{};:,])\s*", r"\1", re.sub(r"/\*.*?\*/", "", _asset("exam.css"), flags=re.S)).strip()
SCRIPT = _asset("exam.js")

# Shown only where the inline script does not run: Jupyter removes the scripts of stored outputs
# in a notebook it does not trust, until the cell is run again.
NOSCRIPT = (
    '<p class="dlopt-exam-noscript">選択肢を押しても何も起きないときは、このセルを実行し直してください'
    "（Jupyter は、信頼されていないノートブックに保存された出力のスクリプトを動かしません）。</p>"
)






def _ident(kind: str, key: str) -> str:
    return f"dlopt-{kind}-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:10]


@dataclass
class Quiz:
    """Self-contained HTML (``_repr_html_``) and a one-line description (``repr``)."""

    html: str
    description: str

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.description


def _quiz_body(prefix: str, found: list[Question]) -> tuple[str, list[dict]]:
    parts, records, number = [], [], 0
    for unit in _units(found):
        members = []
        for q in unit:
            number += 1
            members.append(_record(number, q))
        if unit[0].group is not None:
            parts.append(_context_html(unit[0].group, unit[0].chapter, members))
        parts.extend(_question_html(prefix, m) for m in members)
        records.extend(members)
    return "".join(parts), records


def quiz(chapter: str) -> Quiz:
    """The four-option questions of ``chapter`` (a toc slug), to answer by clicking, offline."""
    found = questions(chapter)
    ident = _ident("quiz", chapter)
    body, records = _quiz_body(ident, found)
    key = "、".join(f"問 {r['number']} {LABELS[r['answer']]}" for r in records)
    page = (
        f"<style>{STYLE}</style>"
        f'<div class="dlopt-exam dlopt-exam-quiz mathjax_process" id="{ident}">'
        f'<p class="dlopt-exam-intro">{len(found)} 問。選択肢を押すと、正誤と解説が出ます。</p>{NOSCRIPT}'
        f'{body}<p class="dlopt-exam-answers">解答：{key}</p></div>'
        f'<script>{SCRIPT}dloptExamQuiz("{ident}");</script>'
    )
    kinds = {
        kind: sum(q.kind == kind for q in found) for kind in ("concept", "formula", "calculation", "code")
    }
    description = (
        f"E資格 形式の確認問題（{CHAPTER_NAMES[chapter]}）：{len(found)} 問（知識 {kinds['concept']}、"
        f"数式 {kinds['formula']}、計算 {kinds['calculation']}、コード {kinds['code']}）。"
        f"HTML を表示できる環境では、選択肢を押して答え合わせができます。"
    )
    return Quiz(page, description)




def mock_exam(n: int = 30, minutes: int = 35) -> Quiz:
    """A mock exam: ``n`` questions drawn in the browser from the whole bank (a set's questions stay
    together), a countdown of ``minutes``, and the score by chapter when it ends. 「始める」 draws anew."""
    if not (isinstance(n, int) and 1 <= n <= len(questions())):
        raise ValueError(f"n は 1 以上、問題数 {len(questions())} 以下の整数です（n={n!r}）")
    if not (isinstance(minutes, (int, float)) and minutes > 0):
        raise ValueError(f"minutes は正の数です（minutes={minutes!r}）")
    ident = _ident("mock", f"{n}-{minutes}")
    found = questions()
    records = []
    for q in found:
        html_of = _question_html(ident, _record("__NUMBER__", q))  # numbered when drawn
        records.append({"id": q.id, "chapter": q.chapter, "group": q.group, "html": html_of})
    used = {q.group for q in found if q.group}
    data = {
        "questions": records,
        "groups": {g: markdown_to_html(groups()[g].context) for g in sorted(used)},
        "chapters": list(CHAPTER_NAMES),
        "names": CHAPTER_NAMES,
    }
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    seconds = int(round(minutes * 60))
    page = (
        f"<style>{STYLE}</style>"
        f'<div class="dlopt-exam dlopt-exam-mock mathjax_process" id="{ident}" data-state="ready">'
        f'<p class="dlopt-exam-intro">全 {len(found)} 問から {n} 問を選びます'
        f"（同じ文脈の問題はまとめて出ます）。制限時間は {minutes:g} 分です。"
        f"「始める」を押すと時間が動き出し、押すたびに別の組み合わせになります。</p>"
        f"{NOSCRIPT}"
        f'<div class="dlopt-exam-bar"><button type="button" class="dlopt-exam-start">始める</button>'
        f'<button type="button" class="dlopt-exam-finish" disabled>採点する</button>'
        f'<span class="dlopt-exam-timer" role="timer">残り {seconds // 60}:{seconds % 60:02d}</span>'
        f'<span class="dlopt-exam-progress"></span></div>'
        f'<div class="dlopt-exam-paper"></div><div class="dlopt-exam-result" aria-live="polite"></div></div>'
        f'<script type="application/json" id="{ident}-data">{payload}</script>'
        f'<script>{SCRIPT}dloptExamMock("{ident}", {n}, {seconds});</script>'
    )
    description = (
        f"E資格 模擬試験：全 {len(found)} 問から {n} 問、制限時間 {minutes:g} 分。"
        f"HTML を表示できる環境で「始める」を押すと始まります。"
    )
    return Quiz(page, description)
