"""The Word side of the house style: A4 pages, the styles a standard is set in, fields.

Fonts are named per style the way Chinese standards are set: 黑体 for headings and titles, 宋体 for
text (East Asian font of the style), Times New Roman for Latin text. The font table names the SC
faces Word and LibreOffice may use where 宋体/黑体 are not installed (``w:altName``).
"""

from __future__ import annotations

from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

SONG, HEI, LATIN = "宋体", "黑体", "Times New Roman"
# Where 宋体/黑体 are missing (Linux, macOS), the SC faces that stand in for them.
ALT_NAMES = {SONG: "SimSun;Noto Serif CJK SC;Source Han Serif SC", HEI: "SimHei;Noto Sans CJK SC;Source Han Sans SC"}
BODY_SIZE = Pt(10.5)  # 五号
NOTE_SIZE = Pt(9)  # 小五号

def _fonts(rpr, east_asian: str, latin: str) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), latin)
    fonts.set(qn("w:eastAsia"), east_asian)


def set_fonts(style, east_asian: str, latin: str = LATIN) -> None:
    """Name the East Asian and the Latin font of a style (``w:rFonts``)."""
    _fonts(style.element.get_or_add_rPr(), east_asian, latin)


def run_fonts(run, east_asian: str, latin: str = LATIN) -> None:
    _fonts(run._r.get_or_add_rPr(), east_asian, latin)


def _style(document, name: str, base: str | None, font: str, size, *, bold=False, align=None,
           outline: int | None = None, before=0, after=0, kind=WD_STYLE_TYPE.PARAGRAPH):
    styles = document.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, kind)
    if base:
        style.base_style = styles[base]
    set_fonts(style, font)
    style.font.size = size
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    if kind == WD_STYLE_TYPE.PARAGRAPH:
        fmt = style.paragraph_format
        if name not in ("Normal", "注"):
            fmt.first_line_indent = Pt(0)
        fmt.space_before, fmt.space_after = Pt(before), Pt(after)
        fmt.line_spacing = 1.15 if outline is None else 1.0
        if align is not None:
            fmt.alignment = align
        if outline is not None:
            ppr = style.element.get_or_add_pPr()
            for old in ppr.findall(qn("w:outlineLvl")):
                ppr.remove(old)
            level = OxmlElement("w:outlineLvl")
            level.set(qn("w:val"), str(outline))
            ppr.append(level)
            fmt.keep_with_next = True
    return style


def setup(document) -> None:
    """A4 with the binding margin, and every style the standard uses."""
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(25), Mm(20)
    section.left_margin, section.right_margin = Mm(25), Mm(20)
    section.header_distance, section.footer_distance = Mm(12), Mm(10)
    _style(document, "Normal", None, SONG, BODY_SIZE)
    _language(document)
    document.styles["Normal"].paragraph_format.first_line_indent = Pt(21)  # 段 start two characters in
    for level in range(1, 7):  # 章 is level 1, 条 2-6; numbers are part of the heading text
        _style(document, f"Heading {level}", "Normal", HEI, BODY_SIZE, outline=level - 1,
               before=12 if level == 1 else 6, after=6 if level == 1 else 3)
    _style(document, "文件名称", "Normal", HEI, Pt(16), align=WD_ALIGN_PARAGRAPH.CENTER, after=12)
    # 前言, 引言, 参考文献 and the annex titles: in the 目次 (outline level 1) but centred, unnumbered
    _style(document, "标准前言标题", "Heading 1", HEI, Pt(16), align=WD_ALIGN_PARAGRAPH.CENTER, outline=0, after=18)
    _style(document, "附录标识", "Heading 1", HEI, BODY_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER, outline=0, after=12)
    _style(document, "术语条目", "Normal", HEI, BODY_SIZE, bold=True, before=6)
    _style(document, "注", "Normal", SONG, NOTE_SIZE)
    _style(document, "列项", "Normal", SONG, BODY_SIZE)
    _style(document, "表题", "Normal", HEI, BODY_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER, before=6, after=3)
    _style(document, "图题", "Normal", HEI, BODY_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER, before=3, after=6)
    _style(document, "表格文字", "Normal", SONG, NOTE_SIZE)
    _style(document, "封面", "Normal", HEI, BODY_SIZE)
    _style(document, "目次条目", "Normal", SONG, BODY_SIZE)
    for level in range(1, 4):  # what Word's TOC field uses when it rebuilds the 目次
        _style(document, f"toc {level}", "Normal", SONG, BODY_SIZE)
        document.styles[f"toc {level}"].paragraph_format.left_indent = Pt(21 * (level - 1))
    _font_table(document)


def _language(document) -> None:
    """The text is Simplified Chinese (``w:lang``): spell checking, and the SC faces wherever a
    named font is missing (fontconfig picks by language; without it LibreOffice takes the JP face)."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    lang.set(qn("w:bidi"), "ar-SA")


def _font_table(document) -> None:
    """Declare 宋体 and 黑体 with the SC faces that may stand in for them."""
    table = None
    for rel in document.part.rels.values():
        if rel.reltype.endswith("/fontTable"):
            table = rel.target_part
    if table is None:
        return
    from lxml import etree

    root = etree.fromstring(table.blob)
    for name, alt in ALT_NAMES.items():
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        alt_el = etree.SubElement(font, qn("w:altName"))
        alt_el.set(qn("w:val"), alt)
        charset = etree.SubElement(font, qn("w:charset"))
        charset.set(qn("w:val"), "86")  # GB2312
        family = etree.SubElement(font, qn("w:family"))
        family.set(qn("w:val"), "roman" if name == SONG else "modern")
    table._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# ------------------------------------------------------------------ fields, breaks, borders

def field(paragraph, instruction: str, shown: str = "") -> None:
    """A Word field (PAGE, NUMPAGES, TOC ...) with ``shown`` as its result until Word updates it."""
    def char(kind: str):
        run = paragraph.add_run()
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            el.set(qn("w:dirty"), "true")
        run._r.append(el)
        return run

    char("begin")
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    char("separate")
    if shown:
        paragraph.add_run(shown)
    char("end")


def update_fields_on_open(document) -> None:
    """Word asks to update the fields (the 目次's page numbers) when the file is opened."""
    settings = document.settings.element
    el = settings.find(qn("w:updateFields"))
    if el is None:
        el = OxmlElement("w:updateFields")
        settings.append(el)
    el.set(qn("w:val"), "true")


def bottom_rule(paragraph, size: int = 8) -> None:
    """A line under the paragraph (the cover's rules)."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", str(size)), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(k), v)
    borders.append(bottom)
    ppr.append(borders)


def new_section(document, number_format: str | None = None, start: int | None = None):
    section = document.add_section(WD_SECTION.NEW_PAGE)
    if number_format or start:
        pg = OxmlElement("w:pgNumType")
        if number_format:
            pg.set(qn("w:fmt"), number_format)
        if start:
            pg.set(qn("w:start"), str(start))
        section._sectPr.append(pg)
    return section


def repeat_header(row) -> None:
    """The row repeats at the top of every page the table runs onto."""
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def cant_split(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))


def row_height(row, mm: float) -> None:
    from docx.enum.table import WD_ROW_HEIGHT_RULE

    row.height = Mm(mm)
    row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST


def watermark(section, text: str) -> None:
    """A light diagonal text across every page of ``section`` (Word's own watermark: a WordArt shape
    in the header, which LibreOffice reads as its watermark too)."""
    header = section.header
    paragraph = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
    from lxml import etree

    xml = (
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office">'
        '<w:pict><v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
        'path="m@7,l@8,m@5,21600l@6,21600e"><v:path textpathok="t" o:connecttype="custom"/>'
        '<v:textpath on="t" fitshape="t"/></v:shapetype>'
        '<v:shape id="PowerPlusWaterMarkObject" o:spid="_x0000_s2049" type="#_x0000_t136" '
        'style="position:absolute;margin-left:0;margin-top:0;width:420pt;height:90pt;rotation:315;'
        'z-index:-251654144;mso-position-horizontal:center;mso-position-horizontal-relative:margin;'
        'mso-position-vertical:center;mso-position-vertical-relative:margin" o:allowincell="f" '
        'fillcolor="#d0d0d0" stroked="f"><v:fill opacity=".5"/>'
        f'<v:textpath style="font-family:&quot;{HEI}&quot;;font-size:1pt" string="{_xml_attr(text)}"/>'
        '</v:shape></w:pict></w:r>'
    )
    paragraph._p.append(etree.fromstring(xml))


def _xml_attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
