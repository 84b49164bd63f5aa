"""Check that the built book's search finds Japanese words (Sphinx's Japanese splitter at work).

Usage: python tools/check_search.py _build/html 学習率 [WORD...]
Each word must be an index term that points at most of the chapters; exit 1 otherwise.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def documents_for(html_dir: Path, word: str) -> list[str]:
    text = (html_dir / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    hits = index["terms"].get(word, [])
    hits = [hits] if isinstance(hits, int) else hits
    return [index["docnames"][i] for i in hits]


def main(html_dir: str, words: list[str]) -> int:
    chapters = [p.stem for p in Path("chapters").glob("*.ipynb")]
    failed = False
    for word in words:
        found = documents_for(Path(html_dir), word)
        print(f"search {word!r}: {len(found)} pages")
        if len(found) < len(chapters) // 2:
            print(f"  expected at least {len(chapters) // 2} pages: {found}")
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
