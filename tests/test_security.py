"""Editor text, the PDF engine's reads, build locks and worker lifetime (issue 15).

The hostile library built into a site and PDFs is in test_payloads.py; messages for bad input
are corpus cases (tests/corpus).
"""

from __future__ import annotations

import argparse
import contextlib
import http.server
import io
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pypdf
import pytest
from bs4 import BeautifulSoup

from handbook.cli import main
from handbook.text import editor_html, editor_markdown, shipped_image

from .conftest import ROOT, write_base_library

REFS = {"ok": ("《指南》5.2", "../standards/g.md#ok"), "plain": ("附录A", None)}


def resolve(ref: str):
    return REFS.get(ref)


def html_of(text: str) -> BeautifulSoup:
    return BeautifulSoup(str(editor_html(text, resolve)), "html.parser")


# ------------------------------------------------------------------ the converter


def test_allowed_constructs_render():
    page = html_of("**重点** *强调* `代码`\n\n1. 一\n2. 二\n\n- 甲\n- 乙\n\n见 [[ok]]、[[plain]]，"
                   "[网站](https://example.org/a?b=1&c=2)，[邮件](mailto:a@example.org)")
    assert page.find("strong").get_text() == "重点" and page.find("em").get_text() == "强调"
    assert page.find("code").get_text() == "代码"
    assert [li.get_text() for li in page.find_all("li")] == ["一", "二", "甲", "乙"]
    links = {a.get_text(): a["href"] for a in page.find_all("a")}
    assert links == {"《指南》5.2": "../standards/g.md#ok", "网站": "https://example.org/a?b=1&c=2",
                     "邮件": "mailto:a@example.org"}
    assert "附录A" in page.get_text()


@pytest.mark.parametrize("text", [
    '<a href="javascript:alert(1)">x</a>',
    '<img src=x onerror=alert(1)>',
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "[x](jav&#x61;script:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "[x](vbscript:msgbox)",
    "[x](file:///etc/passwd)",
    "[x](../../etc/passwd)",
    "<x@example.org>",
    "<https://example.org>",
    '**x**{: style="position:fixed" onclick="alert(1)"}',
    "![](http://127.0.0.1:9/pixel.png)",
    "![](/etc/passwd)",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "[[ ok ]] [[ok] [[<b>x</b>]]",
    "# 标题\n\n> 引用\n\n    code\n\n| a | b |\n|---|---|\n| 1 | 2 |",
    "[x][ref]\n\n[ref]: javascript:alert(1)",
])
def test_nothing_else_is_live(text):
    page = html_of(text)
    allowed_tags = {"p", "strong", "em", "code", "ul", "ol", "li", "a", "br"}
    assert {t.name for t in page.find_all(True)} <= allowed_tags
    for a in page.find_all("a"):
        assert a["href"].startswith(("https:", "http:", "mailto:", "../standards/g.md")), a
        assert set(a.attrs) <= {"href", "rel", "class"}
    for tag in page.find_all(True):
        assert not any(name.startswith("on") or name == "style" for name in tag.attrs)
    # and the site's Markdown of the same text: only our links and inline tags survive
    md = editor_markdown(text, resolve)
    assert "{:" not in md and "<script" not in md.lower() and "javascript:" not in md.lower()


def test_images_only_from_files_beside_the_yaml(tmp_path):
    (tmp_path / "standards").mkdir()
    (tmp_path / "standards" / "fig.png").write_bytes(b"\x89PNG")
    (tmp_path / "standards" / "fig.svg").write_text("<svg onload='alert(1)'/>")
    (tmp_path / "secret.png").write_bytes(b"\x89PNG")
    (tmp_path / "standards" / "link.png").symlink_to(tmp_path / "secret.png")
    here = tmp_path / "standards"
    assert shipped_image(tmp_path, here, "fig.png") == here / "fig.png"
    for bad in ("fig.svg", "../secret.png", "link.png", "/etc/passwd", "http://x/fig.png", "file:fig.png",
                "missing.png", "fig%2epng"):
        assert shipped_image(tmp_path, here, bad) is None, bad
    page = BeautifulSoup(str(editor_html("![图](fig.png) ![坏](../secret.png)", resolve,
                                         resolve_image=lambda s: "x/" + s if shipped_image(tmp_path, here, s) else None)),
                         "html.parser")
    assert [img["src"] for img in page.find_all("img")] == ["x/fig.png"]
    assert "坏" in page.get_text()


ADVERSARIAL = {
    "link-spaces": lambda n: "](" + " " * n,
    "brackets": lambda n: "[" * n,
    "refs": lambda n: "[[" * (n // 2),
    "images": lambda n: "![" * (n // 2),
    "emphasis": lambda n: "*a" * (n // 2),
    "mixed-emphasis": lambda n: "**_" * (n // 3),
    "open-links": lambda n: "[a](" * (n // 4),
    "backticks": lambda n: "`a" * (n // 2),
    "nested-lists": lambda n: "- " * (n // 2) + "x",
    "tags": lambda n: "<a " * (n // 3),
    "attr-lists": lambda n: "{: " * (n // 3),
}


@contextlib.contextmanager
def cpu_limit(seconds: int):
    """A CPU-time alarm (not a timing assertion, and not wall time on a shared machine)."""
    signal.signal(signal.SIGVTALRM, lambda *a: pytest.fail(f"took more than {seconds} s of CPU"))
    signal.setitimer(signal.ITIMER_VIRTUAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)


@pytest.mark.parametrize("name", ADVERSARIAL)
def test_adversarial_text_of_100000_characters_renders(name):
    """No super-linear step on editor text: each case takes a CPU second or two."""
    text = ADVERSARIAL[name](100_000)
    with cpu_limit(30):
        html = str(editor_html(text, resolve))
        editor_markdown(text, resolve)
    assert "<a " not in html or name != "tags"


def test_adversarial_texts_are_checked_in_linear_time(tmp_path):
    std = write_base_library(tmp_path) / "standards" / "base-std.yaml"
    content = std.read_text(encoding="utf-8")
    for i, build in enumerate(ADVERSARIAL.values()):
        content = content.replace("        text: 服务应尊重服务对象。",
                                  f"        text: 服务应尊重服务对象。\n        note: |\n          {build(100_000)}"
                                  if i == 0 else "        text: 服务应尊重服务对象。", 1)
    notes = "".join(f"\n          - |\n            {build(100_000)}" for build in ADVERSARIAL.values())
    content = content.replace("        text: 服务应尊重服务对象。", "        text: 服务应尊重服务对象。\n        items:" + notes, 1)
    std.write_text(content, encoding="utf-8")
    from handbook.rules import check_library

    with cpu_limit(120):
        lib = check_library(tmp_path)
    assert len([p for p in lib.problems if p.file.endswith("base-std.yaml")]) <= 10 * (len(ADVERSARIAL) + 1)


# ------------------------------------------------------------------ print: CSS strings and the URL fetcher


def test_css_strings_from_content_cannot_end_the_string():
    from handbook.render.env import css_string as _css_string

    css = str(_css_string('手册"\n} @page { background: url(http://127.0.0.1/x) } </style><script>'))
    inner = css[1:-1]
    assert css[0] == css[-1] == '"' and '"' not in inner and "\n" not in inner and "<" not in inner
    assert "(" not in inner and "}" not in inner and "\\" in inner


@pytest.fixture()
def trap():
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


def test_weasyprint_reads_only_the_projects_own_assets(tmp_path, trap):
    from handbook.pdf.write import write_pdf

    url, hits = trap
    from PIL import Image

    Image.new("RGB", (8, 8), "red").save(tmp_path / "figure.png")
    outside = tmp_path.parent / f"{tmp_path.name}-outside.png"
    shutil.copy(tmp_path / "figure.png", outside)
    html = f"""<html lang="zh"><head><link rel="stylesheet" href="{url}/a.css">
      <link rel="attachment" href="file:///etc/passwd"><style>@import url({url}/b.css);</style></head><body>
      <img src="{url}/pixel.png" alt=""><img src="/etc/passwd" alt=""><img src="../../../../etc/hostname" alt="">
      <img src="{outside.as_uri()}" alt=""><img src="http://[::1]:9/x" alt="">
      <a rel="attachment" href="/etc/passwd">x</a><a rel="attachment" href="{url}/att">y</a>
      <div style="background: url({url}/bg)">z</div><img src="figure.png" alt="figure"></body></html>"""
    written = write_pdf(html, tmp_path / "out.pdf", base_url=str(tmp_path) + "/")
    assert hits == []
    reader = pypdf.PdfReader(tmp_path / "out.pdf")
    assert dict(reader.attachments) == {}
    refused = "\n".join(written.warnings)
    for what in ("/etc/passwd", "/etc/hostname", outside.name, f"{url}/pixel.png", f"{url}/a.css"):
        assert what in refused
    assert len(reader.pages[0].images) == 1  # the project's own figure is still drawn


# ------------------------------------------------------------------ builds: lock, config, workers


def _site_args(root: Path, out: Path) -> argparse.Namespace:
    return argparse.Namespace(root=str(root), out=str(out))


def test_a_second_site_build_is_refused_while_one_runs(tmp_path, capsys):
    from handbook.cli import cmd_site
    from handbook.site.build import _exclusive

    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("old", encoding="utf-8")
    with _exclusive(out.resolve()):
        assert cmd_site(_site_args(ROOT, out)) == 1
    err = capsys.readouterr().err
    assert "另一个网站构建正在" in err and "网站未生成" in err
    assert (out / "index.html").read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no lock file, no temp folder


def test_two_site_builds_at_once_publish_one_complete_site(tmp_path):
    content = write_base_library(tmp_path / "content")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    code = ("import sys; from pathlib import Path; from handbook.site.build import build_site, SiteError\n"
            f"try: build_site(Path({str(ROOT)!r}), Path({str(tmp_path / 'site')!r}), content_root=Path({str(content)!r}))\n"
            "except SiteError as e: print('refused', e); sys.exit(3)\n")
    runs = [subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True) for _ in range(2)]
    results = [(r.wait(timeout=600), r.stdout.read()) for r in runs]
    codes = sorted(c for c, _ in results)
    assert codes in ([0, 0], [0, 3]), results  # one after the other, or the second refused
    site = tmp_path / "site"
    assert (site / "index.html").is_file() and list(site.rglob("*.css"))
    assert len(list(site.rglob("*.html"))) > 5
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "site"]


@pytest.mark.parametrize("config, expected", [
    (None, "找不到网站配置文件"),
    ("site_name: x\nnav: [\n", "mkdocs.yml:3:1: 网站配置文件 mkdocs.yml 不是有效的 YAML"),
    ("site_name: x\ntheme:\n  name: no-such-theme\n", "Unrecognised theme name: 'no-such-theme'"),
    ("site_name: x\n", "缺少 handbook"),
])
def test_missing_or_broken_mkdocs_yml_is_explained(tmp_path, config, expected):
    write_base_library(tmp_path)
    (tmp_path / "docs").mkdir()
    if config is not None:
        (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
    run = subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(tmp_path), "site"],
                         capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert run.returncode == 1
    assert expected in run.stderr and "网站未生成" in run.stderr and "Traceback" not in run.stderr, run.stderr


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found += [int(c) for c in (task / "children").read_text().split()]
    return found


def test_pdf_workers_die_when_the_build_is_killed(tmp_path):
    write_base_library(tmp_path)
    proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--root", str(tmp_path), "pdf", "--jobs", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    workers: list[int] = []
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None:
        workers = _children(proc.pid)
        if len(workers) >= 2:
            break
        time.sleep(0.2)
    assert len(workers) >= 2, "the build should have started its worker processes"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(Path(f"/proc/{w}").exists() and _alive(w) for w in workers):
        time.sleep(0.2)
    assert [w for w in workers if _alive(w)] == []


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


# ------------------------------------------------------------------ bad input outside the corpus


def _check(root: Path) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--root", str(root), "check"])
    assert "Traceback" not in out.getvalue() + err.getvalue()
    return code, out.getvalue()


@pytest.mark.parametrize("wording, expected", [
    ("毒虫: 吸毒人员\n瘾君子 吸毒人员: [\n", "wording.yaml:3:1: E101"),
    ("- 毒虫\n- 瘾君子\n", "wording.yaml:1:1: E107"),
    ("毒虫: [吸毒人员]\n", "wording.yaml:1:5: E203"),
])
def test_wording_yaml_gets_the_content_loader_and_its_messages(tmp_path, wording, expected):
    write_base_library(tmp_path)
    (tmp_path / "wording.yaml").write_text(wording, encoding="utf-8")
    code, out = _check(tmp_path)
    assert code == 1 and expected in out, out


def test_new_refuses_an_id_too_long_for_a_file_name(tmp_path, capsys):
    write_base_library(tmp_path)
    assert main(["--root", str(tmp_path), "new", "standard", "a" * 300]) == 2
    assert "ID 太长" in capsys.readouterr().err
    assert not list(tmp_path.rglob("a" * 65 + "*"))
    assert main(["--root", str(tmp_path), "new", "standard", "b" * 64]) == 0


def test_symlink_to_a_file_outside_the_project_is_not_read(tmp_path):
    write_base_library(tmp_path / "project")
    secret = tmp_path / "secret.yaml"
    shutil.copy(tmp_path / "project" / "standards" / "base-std.yaml", secret)
    text = secret.read_text(encoding="utf-8").replace("id: base-std", "id: secret-std", 1)
    secret.write_text(text, encoding="utf-8")
    (tmp_path / "project" / "standards" / "leak.yaml").symlink_to(secret)
    code, out = _check(tmp_path / "project")
    assert code == 1 and "standards/leak.yaml:1:1: E112" in out
    from handbook.rules import check_library

    assert check_library(tmp_path / "project").document("secret-std") is None
