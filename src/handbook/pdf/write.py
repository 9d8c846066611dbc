"""WeasyPrint wrapper: HTML string -> PDF file, written atomically, with WeasyPrint's warnings."""

from __future__ import annotations

import logging
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from .fonts import compact_fonts

HARFBUZZ_FALLBACK = "Using fontTools instead of HarfBuzz-Subset"


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
        message = record.getMessage()
        if not message.startswith(HARFBUZZ_FALLBACK):  # said once per build by build.py instead
            self.messages.append(message)


PACKAGE = Path(__file__).resolve().parent.parent  # templates, print.css, theme assets
ASSET_SUFFIXES = {".css", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".woff", ".woff2", ".ttf", ".otf"}


def project_fetcher(root: Path | str | None):
    """A WeasyPrint URL fetcher that serves only the project's own assets: files with an asset
    suffix inside the handbook package or the project ``root`` (after resolving symlinks), and
    the data:image URIs our templates make (QR codes). Every network URL (loopback included),
    every other file and scheme is refused, so content can neither make the build machine send
    a request nor put a local file into a PDF (images, style sheets, rel=attachment)."""
    from urllib.parse import unquote, urlsplit
    from urllib.request import url2pathname

    from weasyprint.urls import URLFetcher

    roots = [PACKAGE] + ([Path(root).resolve()] if root else [])

    class ProjectFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            scheme = urlsplit(url).scheme.lower()
            if scheme == "data" and url[5:].lstrip().lower().startswith("image/"):
                return super().fetch(url, headers)
            if scheme == "file":
                path = Path(url2pathname(unquote(urlsplit(url).path))).resolve()
                if path.suffix.lower() in ASSET_SUFFIXES and path.is_file() and any(
                    path.is_relative_to(r) for r in roots
                ):
                    return super().fetch(path.as_uri(), headers)
            self.refused.append(url)
            raise ValueError(f"不是项目自带的资源，未读取：{url[:200]}")

    fetcher = ProjectFetcher(allowed_protocols={"file", "data"}, allow_redirects=False, timeout=1)
    fetcher.refused = []
    return fetcher


def write_pdf(html: str, path: Path, base_url: str | None = None, root: Path | str | None = None) -> Written:
    """Lay out ``html`` and write it to ``path``.

    Resources are read only through ``project_fetcher`` (``root``, else ``base_url``, is the project).
    The PDF goes to a temporary file in the same folder and is renamed into place only when
    complete, so a failure leaves any previous ``path`` untouched.
    """
    from . import continued

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
        fetcher = project_fetcher(root if root is not None else base_url)
        document = continued.render(html, base_url, url_fetcher=fetcher, pdf_tags=True)  # 表N（续）: a second pass
        laid_out = time.perf_counter()
        document.write_pdf(tmp, pdf_identifier=path.stem.encode(), pdf_tags=True, finisher=compact_fonts)
        written = time.perf_counter()
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    finally:
        logger.removeHandler(collect)
    return Written(path, len(document.pages), collect.messages, laid_out - start, written - laid_out)
