"""`python build.py pdf`: every PDF of the library, incremental and in parallel.

Each PDF's inputs are hashed (its print HTML, which carries the document's content, whatever
it cites from other documents, the templates and the CSS; the font files; this package's and
WeasyPrint's versions). A PDF whose hash matches the manifest and whose file is still there is
not built again.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .. import __version__
from ..library import Library
from ..render.env import TEMPLATES as RENDER_TEMPLATES
from ..render.places import PDF_DIR, PDF_MANIFEST
from .fonts import HARFBUZZ_WARNING, harfbuzz_subset_available
from .render import CSS, Variant, page_url, pdf_name, render_print, variants

TEMPLATES = RENDER_TEMPLATES["pdf"]
SHARED_TEMPLATES = Path(__file__).resolve().parent.parent / "render" / "templates"

OUT_DIR = PDF_DIR
MANIFEST = PDF_MANIFEST
FACES = ("Noto Sans CJK SC", "Noto Sans CJK SC:bold", "Noto Serif CJK SC", "Noto Serif CJK SC:bold")


@dataclass
class Job:
    name: str
    doc_id: str
    variant: Variant
    title: str
    html: str
    key: str


def site_config(root: Path) -> tuple[str | None, bool]:
    """``site_url`` and ``use_directory_urls`` of the site, read from mkdocs.yml by MkDocs' own loader."""
    from mkdocs.utils.yaml import yaml_load

    config = root / "mkdocs.yml"
    if not config.is_file():
        return None, True
    with config.open(encoding="utf-8") as f:
        data = yaml_load(f) or {}
    return data.get("site_url") or None, data.get("use_directory_urls", True) is not False


@lru_cache(maxsize=1)
def environment_key() -> str:
    """Fonts, engine and code versions: a change to any of them rebuilds every PDF."""
    import weasyprint

    h = hashlib.sha256()
    h.update(f"handbook {__version__}\nweasyprint {weasyprint.__version__}\n".encode())
    # render.py, the templates and the CSS show in each PDF's HTML; write.py sets the PDF options.
    for path in sorted({Path(__file__).with_name("write.py"), Path(__file__).with_name("fonts.py"), CSS,
                        *TEMPLATES.glob("*.html"), *SHARED_TEMPLATES.glob("*.html")}):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    for path in font_files():
        stat = path.stat()
        h.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return h.hexdigest()


def font_files() -> list[Path]:
    """The files fontconfig uses for the faces the stylesheet names."""
    files = set()
    for face in FACES:
        try:
            out = subprocess.run(["fc-match", "-f", "%{file}", face], capture_output=True, text=True, check=True)
            files.add(Path(out.stdout.strip()))
        except (OSError, subprocess.CalledProcessError):
            continue
    return sorted(f for f in files if f.is_file())


def plan(lib: Library, root: Path, only: list[str] | None = None) -> list[Job]:
    site_url, directory_urls = site_config(root)
    jobs = []
    for doc in lib.documents:
        for variant in variants(doc):
            name = pdf_name(doc, variant)
            if only and doc.id not in only and name.removesuffix(".pdf") not in only:
                continue
            html = render_print(doc, lib, variant, url=page_url(site_url, doc, directory_urls))
            key = hashlib.sha256((environment_key() + "\0" + html).encode()).hexdigest()
            title = " ".join(p for p in (doc.title, variant.subtitle()) if p)
            if variant.phase:
                phase = next(p for p in doc.phases if p.id == variant.phase)
                title = f"{doc.title} {phase.number} {phase.title} {variant.subtitle()}"
            jobs.append(Job(name, doc.id, variant, title, html, key))
    return jobs


def load_manifest(out: Path) -> dict:
    try:
        return json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def save_manifest(out: Path, manifest: dict) -> None:
    tmp = out / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True), encoding="utf-8")
    os.replace(tmp, out / MANIFEST)


def is_current(job: Job, out: Path, manifest: dict) -> bool:
    record = manifest.get(job.name)
    path = out / job.name
    return bool(record) and record.get("key") == job.key and path.is_file() and record.get("bytes") == path.stat().st_size


def _die_with_parent(parent: int) -> None:
    """Pool initializer: the kernel kills this worker when the build process dies, even by
    SIGKILL (Linux PR_SET_PDEATHSIG); elsewhere a thread watches for the parent to go."""
    import signal
    import threading

    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(1, signal.SIGKILL, 0, 0, 0) == 0:  # PR_SET_PDEATHSIG
            if os.getppid() != parent:  # the parent died before prctl took effect
                os._exit(1)
            return
    except (OSError, AttributeError):
        pass

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _write(html: str, path: str, base_url: str) -> tuple[int, list[str], float, float]:
    from .write import write_pdf

    written = write_pdf(html, Path(path), base_url=base_url)
    return written.pages, written.warnings, written.layout_seconds, written.write_seconds


def build(lib: Library, root: Path, *, only=None, jobs: int = 0, force: bool = False, log=None) -> dict:
    """Build what changed; return {"built": [...], "skipped": [...], "failed": {name: error}}."""
    log = log or (lambda message: print(message, flush=True))
    out = root / OUT_DIR
    out.mkdir(parents=True, exist_ok=True)
    for leftover in out.glob(".*.pdf.tmp"):  # from a build that was killed mid-write
        leftover.unlink(missing_ok=True)
    planned = plan(lib, root, only)
    manifest = load_manifest(out)
    todo = [j for j in planned if force or not is_current(j, out, manifest)]
    todo.sort(key=lambda j: -len(j.html))  # longest first keeps every worker busy to the end
    result: dict = {"built": [], "skipped": [j.name for j in planned if j not in todo], "failed": {}}
    if result["skipped"]:
        log(f"跳过 {len(result['skipped'])} 个内容未变的 PDF")
    workers = max(1, min(jobs or os.cpu_count() or 1, len(todo) or 1))
    base_url = str(root.resolve()) + "/"

    def done(job: Job, pages: int, warnings: list[str], layout: float, writing: float) -> None:
        n = len(result["built"]) + len(result["failed"]) + 1
        for w in warnings:
            log(f"  警告（{job.name}）：{w}")
        path = out / job.name
        manifest[job.name] = {
            "key": job.key, "document": job.doc_id, "kind": job.variant.kind, "phase": job.variant.phase,
            "title": job.title, "pages": pages, "bytes": path.stat().st_size, "warnings": warnings,
        }
        result["built"].append(job.name)
        log(f"[{n}/{len(todo)}] {path.relative_to(root) if path.is_relative_to(root) else path}"
            f"：{pages} 页，排版 {layout:.1f} 秒，写入 {writing:.1f} 秒")

    def failed(job: Job, exc: BaseException) -> None:
        n = len(result["built"]) + len(result["failed"]) + 1
        result["failed"][job.name] = f"{type(exc).__name__}: {exc}"
        log(f"[{n}/{len(todo)}] 失败：{job.name}（文件 {job.doc_id}）：{type(exc).__name__}: {exc}")

    if todo:
        if not harfbuzz_subset_available():
            log(HARFBUZZ_WARNING)
        log(f"生成 {len(todo)} 个 PDF，{workers} 个进程……")
    if workers == 1:
        for job in todo:
            try:
                done(job, *_write(job.html, str(out / job.name), base_url))
            except Exception as exc:  # noqa: BLE001 - one failed PDF must not stop the others
                failed(job, exc)
    else:
        with ProcessPoolExecutor(max_workers=workers, initializer=_die_with_parent,
                                 initargs=(os.getpid(),)) as pool:
            futures = {pool.submit(_write, j.html, str(out / j.name), base_url): j for j in todo}
            for future in as_completed(futures):
                job = futures[future]
                try:
                    done(job, *future.result())
                except Exception as exc:  # noqa: BLE001 - reported by name, the rest go on
                    failed(job, exc)
    if not only:  # a full build also removes the PDFs of documents and phases that are gone
        gone = set(manifest) - {j.name for j in planned}
        for name in sorted(n for n in gone if manifest[n].get("kind") not in ("docx", "feedback")):  # build.py docx's
            (out / name).unlink(missing_ok=True)
            del manifest[name]
            log(f"删除已不存在的文件对应的 {name}")
    save_manifest(out, manifest)
    return result
