"""Compact font subsets in the PDFs WeasyPrint writes, and the one-time HarfBuzz check.

Why the subsets are large: WeasyPrint draws glyph IDs as CIDs (``/CIDToGIDMap /Identity``), so it
subsets with HarfBuzz's "retain GIDs" and keeps every glyph slot up to the highest one drawn. For
Noto CJK that is ~63,000 slots (empty charstrings, full hmtx/vmtx) for the few hundred glyphs a
handbook uses: about 600 KB of an 8-page PDF. Noto CJK is a CID-keyed CFF font, and in a CID-keyed
CFF the charset maps each glyph to its CID (PDF 32000-1 9.7.4.2; FreeType and pdf.js look glyphs
up that way). So the font can be subset again *without* retaining GIDs: glyphs are renumbered
compactly, each keeps its CID in the charset, and the content streams, /W widths and /ToUnicode,
which all speak CIDs, stay valid. This runs as WeasyPrint's public ``finisher`` hook, before the
PDF is serialised.
"""

from __future__ import annotations

import io
import logging
from typing import Any

log = logging.getLogger(__name__)

# Tables a PDF viewer never reads for horizontal text in a CID font (layout is already done).
_UNUSED_TABLES = ["GSUB", "GPOS", "BASE", "JSTF", "vhea", "vmtx", "VORG", "DSIG"]


def compact_fonts(_document: Any, pdf: Any) -> None:
    """WeasyPrint finisher: re-subset every embedded CID-keyed CFF font to the glyphs drawn."""
    for font in list(pdf.objects):
        if isinstance(font, dict) and font.get("Subtype") == "/CIDFontType0":
            descriptor = _target(pdf, font.get("FontDescriptor"))
            stream = _target(pdf, descriptor.get("FontFile3")) if isinstance(descriptor, dict) else None
            if stream is not None and stream.extra.get("Subtype") == "/OpenType":
                compacted = compact_cff(b"".join(_bytes(part) for part in stream.stream), drawn_cids(font["W"]))
                if compacted is not None:
                    stream.stream = [compacted]
                    stream.extra["Subtype"] = "/CIDFontType0C"


def drawn_cids(widths: list) -> list[int]:
    """The CIDs a PDF /W array lists: ``[c [w1 w2 ...] c2 [..]]`` (and ``c_first c_last w`` runs)."""
    cids: set[int] = set()
    i = 0
    while i < len(widths):
        first = int(widths[i])
        if isinstance(widths[i + 1], list):
            cids.update(range(first, first + len(widths[i + 1])))
            i += 2
        else:
            cids.update(range(first, int(widths[i + 1]) + 1))
            i += 3
    return sorted(cids)


def compact_cff(font_bytes: bytes, cids: list[int]) -> bytes | None:
    """The OpenType/CFF font reduced to ``cids`` with compact glyph IDs, or None to keep it as is.

    Only CID-keyed CFF is compacted: there the charset carries each glyph's CID, so renumbering
    glyphs does not change what a CID draws. For any other font the original is kept.
    """
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(font_bytes), lazy=False)
    if "CFF " not in font or not hasattr(font["CFF "].cff.topDictIndex[0], "ROS"):
        return None
    order = font.getGlyphOrder()
    # With retained GIDs, glyph ID == CID in the subset WeasyPrint made; keep exactly those glyphs.
    gids = [cid for cid in cids if cid < len(order)]
    options = subset.Options(
        retain_gids=False, notdef_outline=True, hinting=False, desubroutinize=True,
        ignore_missing_glyphs=True, layout_features=[], name_IDs=["*"], name_languages=["*"],
    )
    options.drop_tables += _UNUSED_TABLES
    subsetter = subset.Subsetter(options)
    subsetter.populate(gids=gids)
    subsetter.subset(font)
    return font["CFF "].compile(font)


def _target(pdf: Any, reference: Any) -> Any:
    """The pydyf object a reference such as ``b"12 0 R"`` names."""
    if not isinstance(reference, (bytes, str)):
        return None
    text = reference.decode() if isinstance(reference, bytes) else reference
    number = text.split()[0]
    return pdf.objects[int(number)] if number.isdigit() and int(number) < len(pdf.objects) else None


def _bytes(part: Any) -> bytes:
    return part if isinstance(part, bytes) else str(part).encode()


def harfbuzz_subset_available() -> bool:
    """Whether HarfBuzz's subsetter can be loaded (WeasyPrint falls back to fontTools without it,
    and writing each PDF then takes about 25 times longer)."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("harfbuzz-subset") or "libharfbuzz-subset.so.0"
    try:
        library = ctypes.CDLL(name)
    except OSError:
        return False
    return hasattr(library, "hb_subset_or_fail")


HARFBUZZ_WARNING = (
    "警告：未找到 HarfBuzz 字体子集库，PDF 写入字体会慢很多（每份约慢 20 倍）。"
    "请安装 Debian 软件包 libharfbuzz-subset0（sudo apt-get install libharfbuzz-subset0），"
    "或重新运行 bash scripts/setup.sh。"
)
