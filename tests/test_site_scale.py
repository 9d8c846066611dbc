"""A large library keeps page size flat: long sections become list pages, template whitespace goes."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from bench.generate import generate
from handbook.site.build import build_site
from handbook.site.links import NAV_LIST_LIMIT
from handbook.site.squeeze import squeeze_whitespace

from .conftest import ROOT


def test_squeezing_keeps_preformatted_text_and_drops_blank_lines() -> None:
    html = "<div>\n\n      <p>甲</p>\n    \n</div><pre>  a\n\n    b\n</pre>\n\n<textarea>x\n\n y</textarea>"
    assert squeeze_whitespace(html) == "<div>\n<p>甲</p>\n</div><pre>  a\n\n    b\n</pre>\n<textarea>x\n\n y</textarea>"


def test_a_section_longer_than_the_limit_is_one_list_page(tmp_path: Path) -> None:
    content = tmp_path / "content"
    generate(content, pages=100, seed=1)
    standards = sorted((content / "standards").glob("std-*.yaml")) or sorted((content / "standards").glob("*.yaml"))
    site = build_site(ROOT, tmp_path / "site", content_root=content)
    listing = BeautifulSoup((site / "standards" / "index.html").read_text(encoding="utf-8"), "html.parser")
    listed = {a["href"] for a in listing.find("article").select("table a")}
    pages = {p.name for p in (site / "standards").glob("*.html")} - {"index.html"}
    assert len(pages) > NAV_LIST_LIMIT and listed == pages
    raw = (site / "standards" / sorted(pages)[0]).read_text(encoding="utf-8")
    nav_links = BeautifulSoup(raw, "html.parser").find("nav", class_="md-nav--primary").find_all("a")
    assert len(nav_links) < 20  # not one per document of the section
    assert "\n\n" not in raw.split("<pre", 1)[0] and "\n  " not in raw.split("<pre", 1)[0]
    assert standards  # the generator wrote standards at all
