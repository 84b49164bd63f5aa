"""The glossary (chapters/glossary.md) and the {term} links of the chapters agree.

- every entry of the glossary is linked from at least one chapter page, and every {term} link names
  a term of the glossary (Sphinx would only warn about the second, and never about the first);
  an entry may have several terms (lines of their own above one definition, as Sphinx allows:
  重み減衰 and its other name 荷重減衰), and a link to any of them counts for the entry;
- each glossary entry says which chapter treats it, with a {doc} link to an existing page;
- each finished chapter links its key terms (KEY_TERMS below: add a chapter when it is written).

Chapter pages are the markdown cells of chapters/*.ipynb and the chapters/*.md pages (the glossary
itself excluded).
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = ROOT / "chapters"
GLOSSARY = CHAPTERS / "glossary.md"

FENCE = re.compile(r"^(?P<mark>`{3,}|:{3,})\{(?P<name>[\w:-]+)\}")
TERM_ROLE = re.compile(r"\{term\}`([^`]+)`")
EXPLICIT_TARGET = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.DOTALL)
DOC_ROLE = re.compile(r"\{doc\}`(?:[^`<]*<)?([^`<>]+)>?`")

# chapter -> key terms that the chapter must link (each is a term of the glossary)
KEY_TERMS = {
    "initialization": ["重みの初期化", "Xavier の初期値", "He の初期値", "LeCun の初期値", "勾配消失"],
    "gradient_descent": ["勾配降下法", "最急降下法", "学習率", "条件数", "ヘッセ行列", "鞍点", "プラトー"],
    "sgd": ["確率的勾配降下法", "ミニバッチ", "バッチサイズ", "エポック", "イテレーション", "不偏推定量"],
    "momentum": ["モメンタム", "重球法", "指数移動平均", "実効学習率"],
    "nesterov": ["ネステロフのモメンタム", "先読み勾配"],
    "adagrad": ["AdaGrad", "適応的学習率", "実効学習率", "学習率の減衰", "疎な特徴量"],
    "rmsprop": ["RMSProp", "AdaDelta", "指数移動平均", "減衰率"],
    "adam": ["Adam", "バイアス補正", "1 次モーメント", "2 次モーメント", "AMSGrad"],
    "adamw": ["AdamW", "重み減衰", "L2 正則化", "分離された重み減衰", "パラメータグループ"],
    "early_stopping": ["早期終了", "過学習", "汎化誤差", "検証データ", "patience"],
    "lr_schedules": ["学習率スケジュール", "ウォームアップ付きコサイン", "ウォームアップ", "RAdam"],
    "choosing": ["NAdam", "ハイパーパラメータ", "グリッドサーチ", "ランダムサーチ", "標準誤差", "損失曲線"],
    "pytorch": ["最適化手法", "パラメータグループ", "計算グラフ", "勾配の累積", "分離された重み減衰",
                "勾配クリッピング", "混合精度", "損失スケーリング", "ファインチューニング"],
    "distributed": ["分散深層学習", "データ並列", "モデル並列", "オールリデュース", "ZeRO", "LARS", "LAMB",
                    "信頼比", "線形スケーリング則"],
    "adafactor_lion": ["Adafactor", "分解された 2 次モーメント", "相対ステップ幅", "更新のクリッピング",
                       "Lion"],
    "muon": ["Muon", "直交化", "スペクトルノルム", "ニュートン・シュルツ反復", "bfloat16"],
    "schedule_free": ["Schedule-Free", "ポリヤック・ルパート平均", "プライマル平均"],
    "exam_practice": ["コサインアニーリング", "ステップ減衰", "指数減衰"],
}


def normalize(term: str) -> str:
    """Sphinx looks terms up case-insensitively, with runs of white space collapsed."""
    return " ".join(term.split()).casefold()


def glossary_groups(text: str) -> list[tuple[list[str], str]]:
    """(terms, definition) for every entry of every glossary directive of a glossary page.

    Terms are the unindented lines of a directive; consecutive term lines share the indented
    definition that follows them.
    """
    groups: list[tuple[list[str], str]] = []
    closing: str | None = None
    terms: list[str] = []
    definition: list[str] = []

    def flush() -> None:
        if terms:
            groups.append((list(terms), " ".join(definition)))
        terms.clear()
        definition.clear()

    for line in text.splitlines():
        if closing is None:
            match = FENCE.match(line.strip())
            if match and match["name"] == "glossary":
                closing = match["mark"]
            continue
        if line.strip() == closing:
            flush()
            closing = None
        elif line.strip().startswith(":") and not terms:
            continue  # a directive option such as :sorted:
        elif line and not line[0].isspace():
            if definition:
                flush()
            terms.append(line.strip())
        elif line.strip():
            assert terms, f"a definition line without a term: {line!r}"
            definition.append(line.strip())
    return groups


def glossary_entries() -> dict[str, str]:
    """Term -> its definition text, for every term of the glossary page (aliases share one)."""
    entries: dict[str, str] = {}
    for terms, definition in GROUPS:
        for term in terms:
            assert term not in entries, f"glossary term defined twice: {term}"
            entries[term] = definition
    return entries


def chapter_pages() -> dict[str, str]:
    """Page slug -> the markdown of the page (markdown cells only, for a notebook), glossary excluded."""
    pages = {}
    for path in sorted(CHAPTERS.glob("*.md")):
        if path != GLOSSARY:
            pages[path.stem] = path.read_text(encoding="utf-8")
    for path in sorted(CHAPTERS.glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        pages[path.stem] = "\n\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    return pages


def term_targets(markdown: str) -> list[str]:
    """The term each {term} role points at: {term}`X` -> X, {term}`text <X>` -> X."""
    targets = []
    for content in TERM_ROLE.findall(markdown):
        explicit = EXPLICIT_TARGET.match(content)
        targets.append((explicit["target"] if explicit else content).strip())
    return targets


GROUPS = glossary_groups(GLOSSARY.read_text(encoding="utf-8"))
ENTRIES = glossary_entries()
ALIASES = {normalize(t): {normalize(u) for u in terms} for terms, _ in GROUPS for t in terms}
PAGES = chapter_pages()
LINKED = {slug: {normalize(t) for t in term_targets(text)} for slug, text in PAGES.items()}


def test_the_role_parser():
    text = "{term}`学習率`（learning rate）と {term}`実効的な学習率 <実効学習率>`、{doc}`adagrad` と `code`"
    assert term_targets(text) == ["学習率", "実効学習率"]


def test_the_glossary_parser():
    text = (
        "```{glossary}\n:sorted:\n重み減衰\n荷重減衰\n  weight decay。定義です。\n  2 行目です。\n\n"
        "学習率\n  learning rate。\n```\n{term}`学習率`\n"
    )
    assert glossary_groups(text) == [
        (["重み減衰", "荷重減衰"], "weight decay。定義です。 2 行目です。"),
        (["学習率"], "learning rate。"),
    ]


def test_glossary_has_terms():
    assert 40 <= len(GROUPS) <= 150, f"{len(GROUPS)} entries"
    assert len({normalize(t) for t in ENTRIES}) == len(ENTRIES), "two terms differ only in case"


def test_every_glossary_entry_is_linked_from_a_chapter():
    linked = set().union(*LINKED.values())
    unlinked = [terms for terms, _ in GROUPS if not any(normalize(t) in linked for t in terms)]
    assert unlinked == [], f"glossary entries no chapter links with {{term}}: {unlinked}"


@pytest.mark.parametrize("slug", sorted(PAGES) + ["glossary"])
def test_every_term_link_names_a_glossary_term(slug):
    text = GLOSSARY.read_text(encoding="utf-8") if slug == "glossary" else PAGES[slug]
    known = {normalize(t) for t in ENTRIES}
    unknown = [t for t in term_targets(text) if normalize(t) not in known]
    assert unknown == [], f"{slug}: {{term}} links to terms the glossary does not define: {unknown}"


@pytest.mark.parametrize("term", sorted(ENTRIES))
def test_every_entry_names_its_chapter(term):
    definition = ENTRIES[term]
    assert definition.strip(), f"{term}: no definition"
    docs = DOC_ROLE.findall(definition)
    assert docs, f"{term}: the definition has no {{doc}} link to the chapter that treats it"
    for doc in docs:
        assert any((CHAPTERS / f"{doc}{suffix}").exists() for suffix in (".md", ".ipynb")), doc


@pytest.mark.parametrize("slug", sorted(KEY_TERMS))
def test_chapter_links_its_key_terms(slug):
    assert slug in PAGES, f"{slug} is in KEY_TERMS but chapters/{slug} does not exist"
    known = {normalize(t) for t in ENTRIES}
    assert all(normalize(t) in known for t in KEY_TERMS[slug]), "KEY_TERMS names a term the glossary lacks"
    missing = [t for t in KEY_TERMS[slug] if not ALIASES[normalize(t)] & LINKED[slug]]
    assert missing == [], f"{slug} does not link its key terms {missing} with {{term}}"
