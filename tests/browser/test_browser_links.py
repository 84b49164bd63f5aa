"""Every internal link of the built book resolves: the file exists and so does the #anchor (no browser)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name") if tag == "a" else ("id",):
            if attrs.get(key):
                self.ids.add(attrs[key])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def test_every_internal_link_and_anchor_resolves(html_dir):
    pages = {path.resolve(): _parse(path) for path in html_dir.rglob("*.html") if "_static" not in path.parts}
    assert len(pages) > 15
    broken, checked = [], 0
    for path, page in pages.items():
        for href in page.links:
            url = urlsplit(href)
            if url.scheme or url.netloc or href.startswith("javascript:"):
                continue  # external: not the book's business offline
            target = (path.parent / unquote(url.path)).resolve() if url.path else path
            checked += 1
            where = f"{path.relative_to(html_dir.resolve())}: {href}"
            if not target.exists():
                broken.append(f"{where} (no such file)")
            elif url.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else _parse(target).ids
                if unquote(url.fragment) not in ids:
                    broken.append(f"{where} (no such anchor)")
    assert checked > 1000
    assert broken == []
