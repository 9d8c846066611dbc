"""WeasyPrint wrapper: HTML string -> PDF file, written atomically, with WeasyPrint's warnings."""

from __future__ import annotations

import logging
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Written:
    path: Path
    pages: int
    warnings: list[str] = field(default_factory=list)
    layout_seconds: float = 0.0
    write_seconds: float = 0.0  # mostly subsetting the CJK fonts


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def write_pdf(html: str, path: Path, base_url: str | None = None) -> Written:
    """Lay out ``html`` and write it to ``path``.

    The PDF goes to a temporary file in the same folder and is renamed into place only when
    complete, so a failure leaves any previous ``path`` untouched.
    """
    import weasyprint

    path.parent.mkdir(parents=True, exist_ok=True)
    collect = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collect)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".pdf.tmp", dir=path.parent)
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; the site copies these for download
    try:
        start = time.perf_counter()
        # Tagged PDF: headings, lists and tables stay structured for screen readers and reflow.
        document = weasyprint.HTML(string=html, base_url=base_url).render(pdf_tags=True)
        laid_out = time.perf_counter()
        document.write_pdf(tmp, pdf_identifier=path.stem.encode(), pdf_tags=True)
        written = time.perf_counter()
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    finally:
        logger.removeHandler(collect)
    return Written(path, len(document.pages), collect.messages, laid_out - start, written - laid_out)
