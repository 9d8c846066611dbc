"""Compact font subsets: every PDF embeds only the glyphs it draws, and still reads and looks the same."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from fontTools.cffLib import CFFFontSet
from PIL import Image, ImageChops
from pypdf import PdfReader

from handbook.pdf.fonts import compact_cff, harfbuzz_subset_available
from handbook.pdf.write import write_pdf

TEXT = "禁毒社会工作者应在接案后十五个工作日内完成预估，社区戒毒、社区康复。ABC 123"
HTML = f"""<!doctype html><html lang="zh-CN"><head><style>
@page {{ size: A4; margin: 20mm }}
body {{ font-family: "Noto Sans CJK SC"; font-size: 12pt }}
h1 {{ font-family: "Noto Sans CJK SC"; font-weight: bold; font-size: 28pt }}
p.serif {{ font-family: "Noto Serif CJK SC" }}
</style></head><body><h1>服务指南（示例）</h1><p>{TEXT}</p><p class="serif">{TEXT}</p></body></html>"""


def embedded_fonts(path: Path) -> list[tuple[int, int, bytes]]:
    """(glyphs in the font program, glyphs the page maps to text, program bytes) per embedded font."""
    fonts, seen = [], set()
    for page in PdfReader(path).pages:
        for reference in page["/Resources"]["/Font"].values():
            if reference.idnum in seen:
                continue
            seen.add(reference.idnum)
            font = reference.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            program = descendant["/FontDescriptor"]["/FontFile3"].get_object()
            data = program.get_data()
            cff = CFFFontSet()
            cff.decompile(io.BytesIO(data), None)
            mapped = font["/ToUnicode"].get_object().get_data().count(b"> <")
            fonts.append((len(cff[cff.fontNames[0]].CharStrings), mapped, data))
    return fonts


def raster(path: Path) -> Image.Image:
    png = subprocess.run(["pdftoppm", "-r", "300", "-gray", "-f", "1", "-l", "1", str(path)],
                         capture_output=True, check=True).stdout
    return Image.open(io.BytesIO(png))


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """The same page written by WeasyPrint alone and through our writer (compact fonts)."""
    import weasyprint

    folder = tmp_path_factory.mktemp("fonts")
    plain = folder / "plain.pdf"
    weasyprint.HTML(string=HTML).write_pdf(plain)
    compact = folder / "compact.pdf"
    write_pdf(HTML, compact)
    return plain, compact


def test_each_font_holds_only_the_glyphs_drawn(written):
    _, compact = written
    fonts = embedded_fonts(compact)
    assert len(fonts) == 3  # sans, sans bold, serif
    for glyphs, mapped, _ in fonts:
        assert glyphs <= mapped + 2  # .notdef and at most one unmapped glyph


def test_compact_pdf_is_a_fraction_of_weasyprints(written):
    plain, compact = written
    assert compact.stat().st_size * 5 < plain.stat().st_size


def test_text_extracts_exactly_as_before(written):
    plain, compact = written

    def text(path):
        return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout

    assert TEXT in text(compact).replace("\n", "")
    assert text(compact) == text(plain)


def test_pages_look_the_same(written):
    plain, compact = written
    before, after = raster(plain), raster(compact)
    # At 300 dpi the pages are identical; at screen resolutions FreeType grid-fits the large bold
    # heading of an OpenType-wrapped and a bare CFF font a pixel apart.
    assert ImageChops.difference(before, after).getbbox() is None
    assert ImageChops.difference(before, Image.new("L", before.size, 255)).getbbox()  # the page is not blank


def test_name_keyed_fonts_are_left_alone():
    """Only a CID-keyed CFF maps CIDs through its charset; renumbering any other font would
    change what the page draws, so it is kept as WeasyPrint wrote it."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.t2CharStringPen import T2CharStringPen

    builder = FontBuilder(1000, isTTF=False)
    builder.setupGlyphOrder([".notdef", "a"])
    builder.setupCharacterMap({ord("a"): "a"})
    pen = T2CharStringPen(500, None)
    pen.moveTo((0, 0)), pen.lineTo((500, 0)), pen.lineTo((0, 500)), pen.closePath()
    builder.setupCFF("Test", {"FullName": "Test"}, {".notdef": pen.getCharString(), "a": pen.getCharString()}, {})
    builder.setupHorizontalMetrics({".notdef": (500, 0), "a": (500, 0)})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "Test", "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    out = io.BytesIO()
    builder.save(out)
    assert compact_cff(out.getvalue(), [1]) is None


def test_harfbuzz_subset_is_installed():
    """setup.sh installs libharfbuzz-subset0; without it every PDF is written ~25 times slower."""
    assert harfbuzz_subset_available()


def test_missing_harfbuzz_is_said_once_per_build(tmp_path, monkeypatch):
    """Without HarfBuzz's subsetter the build says so once, in Chinese, with the package to install;
    WeasyPrint's English fallback line (once per PDF and font) is not repeated in the log."""
    import logging
    import shutil

    from handbook.pdf import build as pdf_build
    from handbook.pdf import write as pdf_write
    from handbook.rules import check_library

    for sub in ("standards", "curricula"):
        shutil.copytree(Path(__file__).parent / "fixtures" / "pdf_lib" / sub, tmp_path / sub)
    monkeypatch.setattr(pdf_build, "harfbuzz_subset_available", lambda: False)
    real_write = pdf_write.write_pdf

    def write_with_fallback_warning(html, path, base_url=None):  # what WeasyPrint logs without HarfBuzz
        import weasyprint  # noqa: F401 - the logger exists once WeasyPrint is imported

        original = weasyprint.HTML.render

        def render(self, *args, **kwargs):
            logging.getLogger("weasyprint").warning(
                'Using fontTools instead of HarfBuzz-Subset for font "%s". Please install HarfBuzz-Subset.', "x")
            return original(self, *args, **kwargs)

        monkeypatch.setattr(weasyprint.HTML, "render", render)
        return real_write(html, path, base_url=base_url)

    monkeypatch.setattr(pdf_write, "write_pdf", write_with_fallback_warning)
    lines: list[str] = []
    result = pdf_build.build(check_library(tmp_path), tmp_path, only=["fx-guide"], jobs=1, log=lines.append)
    assert result["failed"] == {}
    log = "\n".join(lines)
    assert sum("HarfBuzz" in line for line in lines) == 1
    assert "apt-get install libharfbuzz-subset0" in log
    assert "HarfBuzz-Subset" not in log
