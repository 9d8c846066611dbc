"""``python build.py docx [ID…]``: every standard (or the named ones) as a Word file in build/pdf/,
beside its PDF, and for a draft its comment form (意见反馈表) in Word, PDF and Excel. The PDF manifest
records each file (kind ``docx`` / ``feedback``), so the site's download lists show them."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ..library import Library
from ..models import Standard
from ..problems import refuse_on_errors
from ..render.places import PDF_DIR

KIND_WORD, KIND_FORM = "docx", "feedback"


def docx_name(doc: Standard) -> str:
    return f"{doc.id}.docx"


def form_names(doc: Standard) -> tuple[str, str, str]:
    return f"{doc.id}-feedback.docx", f"{doc.id}-feedback.pdf", f"{doc.id}-feedback.xlsx"


def write_all(lib: Library, root: Path, only: list[str] | None = None, log=print) -> list[Path]:
    """Write the Word files (and drafts' comment forms); record them in the PDF manifest; remove the
    ones whose standard is gone or is no longer a draft (a full run only)."""
    from ..pdf.build import load_manifest, save_manifest
    from ..review.forms import write_feedback_form
    from .standard import write_standard

    out = root / PDF_DIR
    out.mkdir(parents=True, exist_ok=True)
    manifest = load_manifest(out)
    written: list[Path] = []
    wanted: set[str] = set()
    for doc in lib.documents:
        if not isinstance(doc, Standard) or (only and doc.id not in only):
            continue
        start = time.perf_counter()
        path = write_standard(doc, lib, out / docx_name(doc))
        files = [(path, KIND_WORD, doc.title + "（Word 版）")]
        if doc.cover.is_draft:
            for form in write_feedback_form(doc, lib, out, *form_names(doc)):
                files.append((form, KIND_FORM, f"{doc.title} 意见反馈表"))
        for file, kind, title in files:
            wanted.add(file.name)
            manifest[file.name] = {"document": doc.id, "kind": kind, "phase": None, "title": title,
                                   "bytes": file.stat().st_size, "key": "", "pages": None, "warnings": []}
            written.append(file)
        log(f"{', '.join(f.relative_to(root).as_posix() if f.is_relative_to(root) else str(f) for f, _, _ in files)}"
            f"（{time.perf_counter() - start:.1f} 秒）")
    if not only:
        for name in [n for n, r in manifest.items() if r.get("kind") in (KIND_WORD, KIND_FORM) and n not in wanted]:
            (out / name).unlink(missing_ok=True)
            del manifest[name]
    save_manifest(out, manifest)
    return written


def cmd_docx(args: argparse.Namespace) -> int:
    from ..rules import check_library

    root = Path(args.root)
    lib = check_library(root)
    if refuse_on_errors(lib.errors, " Word 文件"):
        return 1
    only = list(getattr(args, "ids", None) or []) or None
    standards = {d.id for d in lib.documents if isinstance(d, Standard)}
    unknown = [i for i in only or [] if i not in standards]
    if unknown:
        print(f"没有这些标准：{'、'.join(unknown)}（可用：{'、'.join(sorted(standards))}）", file=sys.stderr)
        return 2
    written = write_all(lib, root, only)
    print(f"Word：生成 {len(written)} 个文件。输出目录 {PDF_DIR}/")
    return 0
