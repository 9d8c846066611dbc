"""The printed PDFs, read back: fonts, text, 目次 page numbers, bookmarks, footers, covers, forms.

The shipped library is built once per session into a temporary copy (with a site_url, so the
covers carry a QR code); the small library in tests/fixtures/pdf_lib is used where a test
changes content (incremental builds, failures).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from handbook.cli import cmd_pdf
from handbook.models import Clause, Curriculum, Manual, Standard
from handbook.pdf import build as pdf_build
from handbook.pdf.render import Variant, page_url, pdf_name, render_print, variants
from handbook.rules import check_library

from .conftest import ROOT, SITE_URL, copy_library  # noqa: F401 - the shipped PDFs: conftest's ``shipped``

FIXTURE = Path(__file__).parent / "fixtures" / "pdf_lib"
URL = f"{SITE_URL}standards/jd-service-guide.html"  # the test site has use_directory_urls: false


def out_dir(root: Path) -> Path:
    return root / pdf_build.OUT_DIR


def all_pdfs(shipped):
    root, lib, _ = shipped
    return [(doc, v, out_dir(root) / pdf_name(doc, v)) for doc in lib.documents for v in variants(doc)]


def standard_pdf(shipped) -> tuple[Standard, Path]:
    root, lib, _ = shipped
    doc = lib.document("jd-service-guide")
    assert isinstance(doc, Standard)
    return doc, out_dir(root) / "jd-service-guide.pdf"


def pdftotext(path: Path, first: int | None = None, last: int | None = None) -> str:
    cmd = ["pdftotext", "-enc", "UTF-8"]
    if first:
        cmd += ["-f", str(first), "-l", str(last or first)]
    return subprocess.run([*cmd, str(path), "-"], capture_output=True, text=True, check=True).stdout


def body_text(path: Path, furniture: set[str]) -> str:
    """The text of every page without its running header and footer lines, so a paragraph that
    runs over a page break reads as one."""
    kept = []
    for page in pdftotext(path).split("\f"):
        kept += [ln for ln in page.splitlines()
                 if ln.strip() not in furniture and not re.fullmatch(r"第 ?\d+ ?页 ?/ ?共 ?\d+ ?页|\d+|[IVXLC]+", ln.strip())]
    return "\n".join(kept)


def stream_text(path: Path) -> str:
    """Text in drawing order (pypdf): keeps each table cell together, where pdftotext's reading
    order interleaves the cells of a row."""
    return "".join(page.extract_text() for page in PdfReader(path).pages)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def outline(path: Path) -> list[tuple[int, str, int]]:
    """(level, title, 1-based page) of every bookmark, in order."""
    reader = PdfReader(path)
    found: list[tuple[int, str, int]] = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                found.append((level, item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 1)
    return found


def plain_clauses(clauses: list[Clause]):
    for clause in clauses:
        if clause.text and not re.search(r"[\[\]*_`#>|]", clause.text):
            yield clause
        yield from plain_clauses(clause.clauses)


# ----------------------------------------------------------------------------------- outputs


def test_every_document_gets_its_pdfs(shipped) -> None:
    root, lib, result = shipped
    names = {p.name for p in out_dir(root).glob("*.pdf")}
    assert sorted(result["built"]) == sorted(names)
    expected = set()
    for doc in lib.documents:
        if isinstance(doc, Curriculum):
            for prefix in [doc.id, *(f"{doc.id}-{p.id}" for p in doc.phases)]:
                expected |= {f"{prefix}-trainer.pdf", f"{prefix}-workbook.pdf"}
            if any(c.items for p in doc.phases for c in p.components):
                expected.add(f"{doc.id}-exam.pdf")
        else:
            expected.add(f"{doc.id}.pdf")
    assert names == expected
    assert "jd-service-guide.pdf" in names and "jd-practice-manual.pdf" in names


def test_fonts_are_simplified_chinese_faces_embedded_and_subset(shipped) -> None:
    for _, _, path in all_pdfs(shipped):
        rows = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        fonts = [line.split() for line in rows.splitlines()[2:]]
        assert fonts, path.name
        for cols in fonts:
            name, emb, sub = cols[0], cols[-5], cols[-4]
            assert re.fullmatch(r"[A-Z]{6}\+Noto-(Sans|Serif)-CJK-SC(-Bold)?", name), (path.name, name)
            assert (emb, sub) == ("yes", "yes"), (path.name, name)


def test_pdfs_are_tagged_chinese_documents_with_titles(shipped) -> None:
    for doc, variant, path in all_pdfs(shipped):
        reader = PdfReader(path)
        root = reader.trailer["/Root"]
        assert root["/Lang"] == "zh-CN" and root["/MarkInfo"]["/Marked"], path.name
        assert reader.metadata.title.startswith(doc.title), path.name


def test_weasyprint_reported_no_warnings(shipped) -> None:
    root, _, result = shipped
    manifest = pdf_build.load_manifest(out_dir(root))
    assert {n: manifest[n]["warnings"] for n in result["built"] if manifest[n]["warnings"]} == {}


def sc_cmap(face: str) -> set[int]:
    from fontTools.ttLib import TTCollection

    found = subprocess.run(["fc-match", "-f", "%{file}:%{index}", face], capture_output=True, text=True, check=True).stdout
    path, index = found.rsplit(":", 1)
    font = TTCollection(path, lazy=True).fonts[int(index)]
    assert font["name"].getDebugName(1) == face
    return set(font.getBestCmap())


def test_every_printed_character_has_a_glyph_in_both_sc_faces(shipped) -> None:
    """No character needs a fallback font: the SC faces cover all the text, so nothing prints as
    a box or in a foreign face."""
    covered = sc_cmap("Noto Sans CJK SC") & sc_cmap("Noto Serif CJK SC")
    _, lib, _ = shipped
    printed = set()
    for doc, variant, _ in all_pdfs(shipped):
        printed |= set(BeautifulSoup(render_print(doc, lib, variant), "html.parser").body.get_text())
    printed |= set("第页/共.□——[]()0123456789")  # generated content: footer, leaders, boxes, list markers
    missing = sorted(c for c in printed if not c.isspace() and ord(c) not in covered)
    assert missing == []


def printed_numbers(doc, path: Path) -> list[str]:
    """The page number printed on each page: "第 i 页 / 共 n 页" in manuals and course packs; in a
    standard its bare footer (I, II… or 1, 2…; "" on the cover and on blank pages)."""
    pages = pdftotext(path).split("\f")[:-1]
    if doc.kind != "standard":
        return [str(i) for i in range(1, len(pages) + 1)]
    found = []
    for page in pages:
        lines = [ln.strip() for ln in page.splitlines() if ln.strip()]
        last = lines[-1] if lines else ""
        found.append(last if re.fullmatch(r"\d+|[IVXLC]+", last) else "")
    return found


def test_every_page_has_the_footer(shipped) -> None:
    for doc, _, path in all_pdfs(shipped):
        if doc.kind == "standard":
            continue  # numbered as printed standards are: tests/test_pdf_gbt.py
        pages = pdftotext(path).split("\f")[:-1]
        assert len(pages) == len(PdfReader(path).pages)
        for i, page in enumerate(pages, 1):
            assert f"第{i}页/共{len(pages)}页" in squash(page), (path.name, i)


# ----------------------------------------------------------------------------------- the standard


def test_clause_text_extracts_exactly_as_written(shipped) -> None:
    doc, path = standard_pdf(shipped)
    headers = {doc.cover.code, *(title for _, title, _ in outline(path))}
    text = squash(body_text(path, headers))
    clauses = [c for chapter in doc.chapters for c in plain_clauses([chapter])]
    assert len(clauses) >= 10
    for clause in clauses:
        assert squash(clause.text) in text, clause.id
    for term in doc.terms.entries:
        if not re.search(r"[\[\]*_`]", term.definition):
            assert squash(term.definition) in text, term.id


def test_toc_page_numbers_are_the_pages_of_the_headings(shipped) -> None:
    for doc, variant, path in all_pdfs(shipped):
        marks = {squash(title): page for _, title, page in outline(path)}
        pages = sorted(set(marks.values()))
        toc_pages = (marks["目次"], pages[pages.index(marks["目次"]) + 1] - 1)  # 目次 up to the next heading's page
        entries = re.findall(r"^(\S.*?)\s*\.{4,}\s*(\d+|[IVXLC]+)$", pdftotext(path, *toc_pages), re.MULTILINE)
        printed = printed_numbers(doc, path)
        texts = [squash(p) for p in pdftotext(path).split("\f")]
        assert entries, path.name
        html = render_print(doc, shipped[1], variant)
        listed = BeautifulSoup(html, "html.parser").select("ul.toc a")
        # every 目次 line was found on the 目次 pages, in order
        assert [squash(label) for label, _ in entries] == [squash(a.get_text()) for a in listed][: len(entries)]
        assert len(entries) == len(listed), path.name
        for label, page in entries:
            if squash(label) in marks:
                physical = marks[squash(label)]
            else:  # a figure or a table: the first page after the 目次 that carries its caption
                physical = next(i for i, t in enumerate(texts, 1) if i > toc_pages[1] and squash(label) in t)
            assert printed[physical - 1] == page, (path.name, label)


def test_standard_toc_lists_chapters_and_annexes_but_no_terms(shipped) -> None:
    doc, path = standard_pdf(shipped)
    toc = pdftotext(path, 3, 4)  # the 目次 opens on the recto after the cover
    for i, chapter in enumerate(doc.chapters, 4):
        assert re.search(rf"^{i} {chapter.title}\s*\.+", toc, re.MULTILINE), chapter.title
    for annex in doc.annexes:
        assert re.search(rf"^{annex.number}（{annex.nature}）{annex.title}\s*\.+", toc, re.MULTILINE)
    for term in doc.terms.entries:
        assert not re.search(rf"^{re.escape(term.number)} ", toc, re.MULTILINE), term.term


def test_bookmarks_mirror_the_headings(shipped) -> None:
    _, lib, _ = shipped
    for doc, variant, path in all_pdfs(shipped):
        soup = BeautifulSoup(render_print(doc, lib, variant), "html.parser")
        headings = [(int(h.name[1]), re.sub(r"\s+", " ", h.get_text()).strip())
                    for h in soup.find_all(re.compile(r"^h[1-6]$"))]
        marks = [(level, re.sub(r"\s+", " ", title).strip()) for level, title, _ in outline(path)]
        assert marks == headings, path.name
    doc, path = standard_pdf(shipped)
    top = [title for level, title, _ in outline(path) if level == 1]
    chapters = ["1 范围", "2 规范性引用文件", "3 术语和定义", *(f"{i} {c.title}" for i, c in enumerate(doc.chapters, 4))]
    assert [t for t in top if t[0].isdigit()] == chapters


def test_standard_cover_carries_the_gbt_fields_and_the_qr_code(shipped) -> None:
    doc, path = standard_pdf(shipped)
    cover = pdftotext(path, 1)
    c = doc.cover
    for text in (f"ICS {c.ics}", f"CCS {c.ccs}", c.level, c.code, c.title, c.title_en, c.publisher,
                 f"{c.issued.isoformat()}发布", f"{c.effective.isoformat()}实施", "示"):
        assert squash(text) in squash(cover), text
    assert URL in cover
    html = render_print(doc, shipped[1], Variant(), url=URL)
    qr = BeautifulSoup(html, "html.parser").select_one(".cover .qr img")
    assert qr is not None and qr["src"].startswith("data:image/svg+xml;base64,")
    assert BeautifulSoup(render_print(doc, shipped[1], Variant()), "html.parser").select_one(".qr") is None


def test_the_qr_code_points_at_the_documents_page_on_the_site(shipped, tmp_path) -> None:
    _, lib, _ = shipped
    doc = lib.document("jd-service-guide")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nsite_url: https://a.example/h\n", encoding="utf-8")
    assert pdf_build.site_config(tmp_path) == ("https://a.example/h", True)
    assert page_url("https://a.example/h", doc, True) == "https://a.example/h/standards/jd-service-guide/"
    assert page_url("https://a.example/h/", doc, False) == "https://a.example/h/standards/jd-service-guide.html"
    assert page_url(None, doc) is None
    assert pdf_build.site_config(ROOT)[1] is (
        "use_directory_urls: false" not in (ROOT / "mkdocs.yml").read_text(encoding="utf-8"))


def test_annexes_start_a_page_with_three_centred_lines(shipped) -> None:
    doc, path = standard_pdf(shipped)
    marks = {title: page for _, title, page in outline(path)}
    for annex in doc.annexes:
        page = marks[f"{annex.number}（{annex.nature}）{annex.title}"]
        lines = [ln.strip() for ln in pdftotext(path, page).splitlines() if ln.strip()]
        i = lines.index(annex.number)
        assert lines[i: i + 3] == [annex.number, f"（{annex.nature}）", annex.title]
        # only the running header stands above the three lines: the annex opened the page
        assert set(lines[:i]) <= {doc.cover.code, f"{annex.number}（{annex.nature}）{annex.title}"}, lines[:i]


def test_forms_print_every_field_as_a_bordered_table(shipped) -> None:
    doc, path = standard_pdf(shipped)
    text = squash(pdftotext(path))
    soup = BeautifulSoup(render_print(doc, shipped[1], Variant()), "html.parser")
    for annex in doc.annexes:
        for form in annex.forms:
            assert squash(f"{form.number} {form.title}") in text
            for field in form.fields:
                assert squash(field.label) in text, field.label
            table = soup.find(id=form.id).select_one("table.blank-form")
            assert len(table.select("tr")) == len(form.fields)
            for field, row in zip(form.fields, table.select("tr")):
                if field.type == "lines":
                    assert f"height: {field.lines * 7}mm" in row.td["style"]


# ----------------------------------------------------------------------------------- manuals, courses


def test_manual_prints_procedures_steps_and_forms(shipped) -> None:
    root, lib, _ = shipped
    manual = next(d for d in lib.documents if isinstance(d, Manual))
    text = squash(stream_text(out_dir(root) / f"{manual.id}.pdf"))
    for chapter in manual.chapters:
        for procedure in chapter.procedures:
            assert squash(procedure.title) in text
            for step in procedure.steps:
                assert squash(step.actor) in text
                if not re.search(r"[\[\]*_`]", step.action):
                    assert squash(step.action) in text
    for form in manual.forms:
        assert squash(form.title) in text


def test_trainer_guide_and_workbook_per_programme_and_phase(shipped) -> None:
    root, lib, _ = shipped
    for doc in (d for d in lib.documents if isinstance(d, Curriculum)):
        for phase in [None, *doc.phases]:
            prefix = f"{doc.id}-{phase.id}" if phase else doc.id
            phases = [phase] if phase else doc.phases
            sessions = [s for p in phases for m in p.modules for s in m.sessions]
            trainer = squash(pdftotext(out_dir(root) / f"{prefix}-trainer.pdf"))
            workbook = squash(pdftotext(out_dir(root) / f"{prefix}-workbook.pdf"))
            for s in sessions:
                assert squash(f"{s.number} {s.title}") in trainer
                for objective in s.objectives:
                    if not re.search(r"[\[\]*_`]", objective):
                        assert squash(objective) in workbook
                if s.trainer_notes and not re.search(r"[\[\]*_`]", s.trainer_notes):
                    assert squash(s.trainer_notes) in trainer
                    assert squash(s.trainer_notes) not in workbook
                for ref in s.covers:
                    entry = lib.resolve(ref, doc)
                    assert squash(entry.number) in trainer
            if any("form-course-evaluation" in s.worksheets for s in sessions):
                assert "课程评估表" in workbook  # printed where first used
            others = [x for p in doc.phases if p not in phases for m in p.modules for x in m.sessions]
            for s in others:
                assert squash(f"{s.number} {s.title}") not in trainer


# ----------------------------------------------------------------------------------- incremental builds


@pytest.fixture(scope="session")
def fixture_built(tmp_path_factory):
    """The small library with its PDFs, built once per session; read-only."""
    root = copy_library(FIXTURE, tmp_path_factory.mktemp("fixture-built"))
    lib = check_library(root)
    assert lib.errors == []
    pdf_build.build(lib, root, log=lambda m: None)
    return root


@pytest.fixture
def fixture_project(fixture_built, tmp_path):
    """A private copy of the built small library, for a test that changes it (copying keeps the
    PDFs' sizes and the manifest, so the copy is as current as the build)."""
    root = tmp_path / "project"
    shutil.copytree(fixture_built, root)
    return root


def run_pdf(root: Path, *extra, jobs: int = 1, force: bool = False) -> int:
    args = argparse.Namespace(root=str(root), only=list(extra) or None, jobs=jobs, force=force)
    return cmd_pdf(args)


def snapshot(root: Path) -> dict[str, tuple[int, bytes]]:
    return {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in out_dir(root).glob("*.pdf")}


def test_nothing_changed_writes_no_pdf(fixture_project, capsys) -> None:
    before = snapshot(fixture_project)
    assert len(before) == 8
    assert run_pdf(fixture_project, jobs=2) == 0
    assert snapshot(fixture_project) == before
    assert "生成 0 个，跳过 8 个" in capsys.readouterr().out


def test_a_changed_clause_rebuilds_only_the_pdfs_that_print_it(fixture_project) -> None:
    before = snapshot(fixture_project)
    path = fixture_project / "standards" / "fx-guide.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("制定应对", "制定并演练应对"), encoding="utf-8")
    lib = check_library(fixture_project)
    result = pdf_build.build(lib, fixture_project, log=lambda m: None)
    # the standard, and the trainer guides that quote clause 5.2 for 第3讲
    assert sorted(result["built"]) == [
        "fx-course-phase-practice-trainer.pdf", "fx-course-trainer.pdf", "fx-guide.pdf"]
    after = snapshot(fixture_project)
    assert {n for n in before if before[n] != after[n]} == set(result["built"])
    assert "制定并演练应对" in squash(pdftotext(out_dir(fixture_project) / "fx-guide.pdf"))


def test_a_worksheet_used_again_is_printed_once_and_pointed_at(fixture_built) -> None:
    path = out_dir(fixture_built) / "fx-course-workbook.pdf"
    pages = pdftotext(path).split("\f")
    pointers = re.findall(r"表1 ?学习反思单（第 ?(\d+) ?页）", pdftotext(path))
    assert len(pointers) == 2 and len(set(pointers)) == 1  # 第1讲 and 第2讲 both use it
    printed = [i for i, page in enumerate(pages, 1) if "本讲收获" in page]
    assert printed == [int(pointers[0])]


def test_the_manifest_describes_each_pdf_and_forgets_removed_ones(fixture_project) -> None:
    manifest = pdf_build.load_manifest(out_dir(fixture_project))
    assert manifest["fx-course-phase-practice-workbook.pdf"] | {"key": "", "bytes": 0} == {
        "key": "", "bytes": 0, "document": "fx-course", "kind": "workbook", "phase": "phase-practice",
        "title": "禁毒社工测试培训项目 第二阶段 实务提升 学员手册", "warnings": [],
        "pages": len(PdfReader(out_dir(fixture_project) / "fx-course-phase-practice-workbook.pdf").pages),
    }
    (fixture_project / "standards" / "fx-manual.yaml").unlink()
    pdf_build.build(check_library(fixture_project), fixture_project, log=lambda m: None)
    assert not (out_dir(fixture_project) / "fx-manual.pdf").exists()
    assert "fx-manual.pdf" not in pdf_build.load_manifest(out_dir(fixture_project))
    assert (out_dir(fixture_project) / "fx-guide.pdf").exists()


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_failed_pdf_keeps_the_previous_file_and_names_the_document(fixture_project, monkeypatch, capsys, jobs):
    import weasyprint.document

    before = (out_dir(fixture_project) / "fx-manual.pdf").read_bytes()
    other = (out_dir(fixture_project) / "fx-guide.pdf").stat().st_mtime_ns
    write_pdf = weasyprint.document.Document.write_pdf

    def broken(self, target=None, *args, **kwargs):
        if "fx-manual" not in str(target):
            return write_pdf(self, target, *args, **kwargs)
        Path(target).write_bytes(b"%PDF-1.7 half written")
        raise RuntimeError("排版失败")

    # worker processes are forked, so they inherit the patch
    monkeypatch.setattr(weasyprint.document.Document, "write_pdf", broken)
    assert run_pdf(fixture_project, "fx-manual", "fx-guide", jobs=jobs, force=True) == 1
    assert (out_dir(fixture_project) / "fx-manual.pdf").read_bytes() == before
    assert (out_dir(fixture_project) / "fx-guide.pdf").stat().st_mtime_ns != other  # the others still build
    assert not list(out_dir(fixture_project).glob("*.tmp"))
    err = capsys.readouterr()
    assert "失败：fx-manual.pdf（文件 fx-manual）" in err.out and "排版失败" in err.err


def test_content_errors_refuse_the_build(tmp_path, capsys) -> None:
    root = copy_library(FIXTURE, tmp_path)
    path = root / "standards" / "fx-guide.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("effective: 2026-03-01", "effective: 2025-03-01"),
                    encoding="utf-8")
    assert run_pdf(root) == 1
    assert not out_dir(root).exists() or not list(out_dir(root).glob("*.pdf"))
    assert "fx-guide.yaml" in capsys.readouterr().err


def test_only_names_a_document_or_one_pdf(fixture_project, capsys) -> None:
    assert run_pdf(fixture_project, "fx-nothing") == 2
    assert "fx-nothing" in capsys.readouterr().err
    assert run_pdf(fixture_project, "fx-course-phase-basics-workbook", force=True) == 0
    assert "生成 1 个" in capsys.readouterr().out


def test_pdfs_are_small_enough_to_download_on_a_phone(shipped):
    """Compact font subsets: a text page costs well under 30 KB, and each embedded font holds only
    the glyphs the PDF draws (WeasyPrint alone kept ~63,000 glyph slots per face)."""
    from .test_pdf_fonts import embedded_fonts

    for _, _, path in all_pdfs(shipped):
        pages = len(PdfReader(path).pages)
        assert path.stat().st_size / pages < 30_000, path.name
        for glyphs, mapped, _ in embedded_fonts(path):
            assert glyphs <= mapped + 2, path.name


def test_facts_print_as_their_values(shipped) -> None:
    """[[fact:ID]] reads as the value in the printed standard, as on the site (tests/test_facts.py)."""
    _doc, path = standard_pdf(shipped)
    text = squash(pdftotext(path))
    assert "fact:" not in text
    for value in ("操守保持 3 年以上", "不少于 40 学时的岗前培训", "每 2 周不少于 1 次", "接案后 15 个工作日内完成预估"):
        assert squash(value) in text
