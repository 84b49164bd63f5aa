"""Loading and checking the question bank: one module a chapter, each with ``GROUPS`` and ``QUESTIONS``.

A chapter module holds plain data::

    GROUPS = {"momentum-class": "Markdown shared by several questions (a listing with 【あ】【い】…)"}
    QUESTIONS = [
        {"id": "momentum-1", "kind": "concept", "keyword": "モメンタム", "difficulty": 1,
         "stem": "Markdown with $math$", "choices": ["…", "…", "…", "…"], "answer": 2,
         "explanation": "why （ウ） is right and why （ア）（イ）（エ） are wrong"},
        {"id": "momentum-5", "group": "momentum-class", "blank": "【あ】", "kind": "code", ...},
    ]

The chapter of a question is its module's name (a toc slug). Choices are shown as （ア）（イ）（ウ）（エ）;
the choices of a ``code`` question are code, shown as written. Every record is checked when the bank
is loaded, and a mistake raises ``ValueError`` naming the question and the key.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from functools import cache

__all__ = [
    "CHAPTERS",
    "CHAPTER_NAMES",
    "KEYWORDS",
    "KINDS",
    "LABELS",
    "BLANKS",
    "Group",
    "Question",
    "groups",
    "questions",
]

# The book's chapters in toc order (the bank has one module for each).
CHAPTERS = (
    "initialization",
    "gradient_descent",
    "sgd",
    "momentum",
    "nesterov",
    "adagrad",
    "rmsprop",
    "adam",
    "adamw",
    "early_stopping",
    "lr_schedules",
    "choosing",
    "pytorch",
    "distributed",
    "exam_practice",
)
# Short names of the chapters, for the mock exam's score by chapter.
CHAPTER_NAMES = {
    "initialization": "重みの初期化",
    "gradient_descent": "学習率と最急降下法",
    "sgd": "SGD とミニバッチ",
    "momentum": "モメンタム",
    "nesterov": "ネステロフのモメンタム",
    "adagrad": "AdaGrad",
    "rmsprop": "RMSProp",
    "adam": "Adam",
    "adamw": "AdamW",
    "early_stopping": "早期終了",
    "lr_schedules": "学習率スケジュール",
    "choosing": "手法の比較と選び方",
    "pytorch": "PyTorch での実践",
    "distributed": "大きなバッチと分散学習",
    "exam_practice": "総合問題",
}
KINDS = ("concept", "formula", "calculation", "code")
# The keywords of the optimization item of the E資格 syllabus (2024#2); anything else is 発展.
KEYWORDS = (
    "学習率",
    "鞍点",
    "最急降下法",
    "確率的勾配降下法",
    "モメンタム",
    "ネステロフのモメンタム",
    "AdaGrad",
    "RMSProp",
    "Adam",
    "早期終了",
    "発展",
)
LABELS = ("ア", "イ", "ウ", "エ")  # how the four choices are shown
BLANKS = ("【あ】", "【い】", "【う】", "【え】", "【お】", "【か】")  # blanks in a group's context
_FIELDS = {
    "id",
    "kind",
    "keyword",
    "difficulty",
    "stem",
    "choices",
    "answer",
    "explanation",
    "group",
    "blank",
}
_REQUIRED = _FIELDS - {"group", "blank"}


@dataclass(frozen=True)
class Group:
    """A context several questions share (a code listing, a formula, a table), shown once above them."""

    id: str
    chapter: str
    context: str


@dataclass(frozen=True)
class Question:
    """One four-option question; ``answer`` is the 0-based index of the one correct choice."""

    id: str
    chapter: str
    kind: str
    keyword: str
    stem: str
    choices: tuple[str, str, str, str]
    answer: int
    explanation: str
    difficulty: int
    group: str | None = None
    blank: str | None = None

    @property
    def label(self) -> str:
        """The correct choice as the page shows it: ア, イ, ウ or エ."""
        return LABELS[self.answer]


def _fail(where: str, message: str):
    raise ValueError(f"問題バンク {where}: {message}")


def _question(chapter: str, record: dict, contexts: dict[str, str]) -> Question:
    where = f"{chapter}/{record.get('id', '?')}"
    if not isinstance(record, dict):
        _fail(chapter, f"問題は dict で書きます（{type(record).__name__} がありました）")
    missing, unknown = _REQUIRED - record.keys(), record.keys() - _FIELDS
    if missing:
        _fail(where, f"キー {sorted(missing)} がありません")
    if unknown:
        _fail(where, f"知らないキー {sorted(unknown)} があります（使えるのは {sorted(_FIELDS)}）")
    if not re.fullmatch(rf"{chapter}-[a-z0-9-]+", str(record["id"])):
        _fail(where, f"id は '{chapter}-' で始まる英小文字・数字・ハイフンです")
    if record["kind"] not in KINDS:
        _fail(where, f"kind={record['kind']!r} は {KINDS} のどれかです")
    if record["keyword"] not in KEYWORDS:
        _fail(where, f"keyword={record['keyword']!r} はシラバスのキーワードか '発展' です: {KEYWORDS}")
    if record["difficulty"] not in (1, 2, 3):
        _fail(where, f"difficulty={record['difficulty']!r} は 1, 2, 3 のどれかです")
    choices = record["choices"]
    if not (isinstance(choices, (list, tuple)) and len(choices) == 4):
        _fail(where, "choices はちょうど 4 つです")
    if not all(isinstance(c, str) and c.strip() for c in choices):
        _fail(where, "choices は空でない文字列です")
    if len({c.strip() for c in choices}) != 4:
        _fail(where, "choices に同じものが 2 つあります")
    if any(re.search(r"すべて|全て|いずれも", c) for c in choices):
        _fail(where, "「すべて正しい」のような選択肢は使いません")
    if record["answer"] not in (0, 1, 2, 3) or isinstance(record["answer"], bool):
        _fail(where, f"answer={record['answer']!r} は 0〜3 の添字です")
    for key in ("stem", "explanation"):
        if not (isinstance(record[key], str) and record[key].strip()):
            _fail(where, f"{key} は空でない文字列です")
    group, blank = record.get("group"), record.get("blank")
    if group is not None and group not in contexts:
        _fail(where, f"group={group!r} がこの章の GROUPS にありません")
    if blank is not None:
        if group is None or blank not in BLANKS or blank not in contexts[group]:
            _fail(where, f"blank={blank!r} は group の文脈にある空欄 {BLANKS} のどれかです")
    if record["kind"] == "code" and blank is None:
        _fail(where, "code の問題は、group の文脈（コード）の空欄 blank を埋める形で書きます")
    return Question(
        id=record["id"],
        chapter=chapter,
        kind=record["kind"],
        keyword=record["keyword"],
        stem=record["stem"].strip(),
        choices=tuple(c.strip("\n") for c in choices),
        answer=record["answer"],
        explanation=record["explanation"].strip(),
        difficulty=record["difficulty"],
        group=group,
        blank=blank,
    )


@cache
def _chapter(chapter: str) -> tuple[tuple[Group, ...], tuple[Question, ...]]:
    module = importlib.import_module(f"{__name__}.{chapter}")
    contexts = getattr(module, "GROUPS", {})
    found = tuple(_question(chapter, record, contexts) for record in module.QUESTIONS)
    used = {q.group for q in found}
    for name, context in contexts.items():
        if not re.fullmatch(rf"{chapter}-[a-z0-9-]+", name) or name not in used:
            _fail(f"{chapter}/{name}", f"group の名前は '{chapter}-' で始まり、どれかの問題が使います")
        if not (isinstance(context, str) and context.strip()):
            _fail(f"{chapter}/{name}", "group の文脈は空でない Markdown の文字列です")
    return tuple(Group(name, chapter, text.strip()) for name, text in contexts.items()), found


def _chapters(chapter: str | None) -> tuple[str, ...]:
    if chapter is None:
        return CHAPTERS
    if chapter not in CHAPTERS:
        raise ValueError(f"chapter={chapter!r} は章のスラッグです: {', '.join(CHAPTERS)}")
    return (chapter,)


def questions(chapter: str | None = None, kind: str | None = None) -> list[Question]:
    """The questions of ``chapter`` (a toc slug; None for the whole bank) of ``kind`` (None for all),
    in the book's order. Ids are unique across the bank."""
    if kind is not None and kind not in KINDS:
        raise ValueError(f"kind={kind!r} は {KINDS} のどれか、または None です")
    found = [q for name in _chapters(chapter) for q in _chapter(name)[1] if kind in (None, q.kind)]
    seen: set[str] = set()
    for q in found:
        if q.id in seen:
            _fail(q.id, "id が重複しています")
        seen.add(q.id)
    return found


def groups(chapter: str | None = None) -> dict[str, Group]:
    """The shared contexts of ``chapter`` (None for all), by group id."""
    return {g.id: g for name in _chapters(chapter) for g in _chapter(name)[0]}
