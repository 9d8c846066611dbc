"""The benchmark: our build against stock MkDocs + Material on the same generated content.

    python -m bench --pages 1000 --runs 3 --json bench/out/results.json
    python build.py bench --pages 300

Every stage runs as a subprocess, so its time includes Python start-up and imports; the figure
is the median of ``--runs`` runs. Peak memory is the largest resident set of the stage's process
tree (``wait4`` rusage). A stage whose command fails is reported as "not available" with the end
of its error output; the benchmark itself carries on.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from .generate import generate

PROJECT = Path(__file__).resolve().parent.parent
CODE = PROJECT  # where build.py, src/, mkdocs.yml and docs/ are taken from: a snapshot during a run
BUILD = CODE / "build.py"
STAGES = ("check_cold", "check_warm", "site_cold", "site_rebuild", "serve_edit", "serve_only_edit", "pdf_cold", "pdf_unchanged", "baseline")
TIMEOUT = 1800  # seconds per stage run; --timeout changes it

# issue 10 targets (and issue 5's PDF figure), for the 1,000-page library
TARGETS = {
    "site_time_ratio": 0.2,
    "site_size_ratio": 0.15,
    "peak_memory_ratio": 1.0,
    "site_rebuild_s": 2.0,
    "serve_edit_s": 2.0,
    "serve_only_edit_s": 1.0,
    "check_warm_s": 1.0,
    "check_cold_s": 3.0,
    "pdf_cold_s": 8.0,
}


def run_timed(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> dict:
    """Run ``cmd``; return seconds, return code, peak RSS (MB) and the tail of its output."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err, start_new_session=True)
        try:
            _, status, usage = _wait(proc)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # the stage's whole process group (PDF worker processes too)
            proc.wait()
            return {"seconds": time.perf_counter() - start, "returncode": None, "peak_rss_mb": None,
                    "error": f"timed out after {TIMEOUT} s"}
        seconds = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    code = os.waitstatus_to_exitcode(status)
    result = {"seconds": seconds, "returncode": code, "peak_rss_mb": round(usage.ru_maxrss / 1024, 1), "stdout": stdout}
    if code != 0:
        result["error"] = (stderr.strip() or stdout.strip())[-1500:]
    return result


def _search_figures(site: Path) -> dict:
    """Search on the built site in Chromium, CPU throttled 4× (bench/search.py); an error is reported, not raised."""
    try:
        from .search import measure_search

        return measure_search(site)
    except Exception as exc:  # noqa: BLE001 - no Chromium or Playwright here: the rest of the benchmark still runs
        return {"error": f"{type(exc).__name__}: {exc}"[:500]}


def _wait(proc: subprocess.Popen):
    deadline = time.monotonic() + TIMEOUT
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            return pid, status, usage
        if time.monotonic() > deadline:
            raise subprocess.TimeoutExpired(proc.args, TIMEOUT)
        time.sleep(0.01)


def dir_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def site_figures(site: Path) -> dict:
    index = next(iter(sorted(site.rglob("search_index.json"))), None)
    sharded = site / "search" / "manifest.js"  # our index: every shard together (a query loads a few)
    return {
        "output_bytes": dir_bytes(site),
        "search_index_bytes": index.stat().st_size if index else dir_bytes(sharded.parent) if sharded.exists() else None,
        "html_pages": sum(1 for _ in site.rglob("*.html")),
    }


class Stage:
    """Collects the runs of one stage and summarises them."""

    def __init__(self, name: str):
        self.name, self.runs, self.extra = name, [], {}

    def add(self, result: dict) -> bool:
        self.runs.append(result)
        return result.get("returncode") == 0

    def summary(self) -> dict:
        ok = [r for r in self.runs if r.get("returncode") == 0]
        if not self.runs:
            return {"status": "skipped", **self.extra}
        if len(ok) < len(self.runs):
            bad = next(r for r in self.runs if r.get("returncode") != 0)
            return {"status": "not available", "returncode": bad.get("returncode"), "error": bad.get("error", ""), **self.extra}
        times = [r["seconds"] for r in ok]
        rss = [r["peak_rss_mb"] for r in ok if r.get("peak_rss_mb")]
        return {"status": "ok", "seconds": round(statistics.median(times), 3), "times": [round(t, 3) for t in times],
                "peak_rss_mb": max(rss) if rss else None, **self.extra}


def prepare(pristine: Path, dest: Path) -> Path:
    """A fresh copy of the generated content with the project's site configuration beside it."""
    shutil.copytree(pristine, dest, ignore=shutil.ignore_patterns("baseline", "build"))
    if (CODE / "mkdocs.yml").is_file():
        shutil.copy2(CODE / "mkdocs.yml", dest / "mkdocs.yml")
    if (CODE / "docs").is_dir():
        shutil.copytree(CODE / "docs", dest / "docs", ignore=shutil.ignore_patterns("notes"))
    (dest / "src").symlink_to(CODE / "src")  # mkdocs.yml names the theme folder relative to itself
    return dest


def snapshot(dest: Path) -> dict:
    """Copy the project's code so that commits landing during a long run do not change what is measured."""
    global CODE, BUILD
    skip = shutil.ignore_patterns("__pycache__", "*.pyc")
    dest.mkdir(parents=True)
    for name in ("build.py", "mkdocs.yml", "pyproject.toml"):
        if (PROJECT / name).is_file():
            shutil.copy2(PROJECT / name, dest / name)
    for name in ("src", "docs"):
        if (PROJECT / name).is_dir():
            shutil.copytree(PROJECT / name, dest / name, ignore=skip)
    CODE, BUILD = dest, dest / "build.py"

    def git(*args: str) -> str:
        done = subprocess.run(["git", "-C", str(PROJECT), *args], capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""

    return {"commit": git("rev-parse", "--short", "HEAD"),
            "uncommitted": bool(git("status", "--porcelain", "--", "src", "build.py", "mkdocs.yml", "docs"))}


def fresh_env(cache: Path) -> dict[str, str]:
    """Environment whose user cache folder is empty, so a cold build finds no cache anywhere."""
    cache.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, XDG_CACHE_HOME=str(cache), NO_MKDOCS_2_WARNING="1")
    env.pop("HANDBOOK_ONLY", None)
    return env


def edit_clause(root: Path, edit: dict, n: int) -> str:
    """Append one sentence to the manifest's clause; return the sentence (to find it in the output)."""
    path = root / edit["file"]
    text = path.read_text(encoding="utf-8")
    marker = f"修订核对点{n}号"
    new = f"{edit['text']}服务机构应在{marker}记录修订情况。"
    assert text.count(edit["text"]) == 1, "the clause to edit must appear exactly once"
    path.write_text(text.replace(edit["text"], new), encoding="utf-8")
    edit["text"] = new
    return marker


def contains(site: Path, marker: str) -> bool:
    return any(marker in p.read_text(encoding="utf-8", errors="replace") for p in site.rglob("*.html"))


def bench(pages: int, runs: int, work: Path, *, seed: int = 0, skip: set[str] = frozenset(), profile: bool = False,
          log=print, command: str = "") -> dict:
    python = sys.executable
    code = snapshot(work / "code")
    pristine = work / "content"
    log(f"生成 {pages} 页的合成内容库 → {pristine}")
    load_before = os.getloadavg()
    start = time.perf_counter()
    manifest = generate(pristine, pages=pages, seed=seed)
    manifest["generate_seconds"] = round(time.perf_counter() - start, 2)
    stages = {name: Stage(name) for name in STAGES}

    def want(name: str) -> bool:
        return name not in skip

    if want("check_cold") or want("check_warm"):
        cache = pristine / "build"  # the check cache lives under the project's build/ folder
        for r in range(runs):
            shutil.rmtree(cache, ignore_errors=True)
            log(f"检查（check），无缓存 {r + 1}/{runs}……")
            cold = run_timed([python, str(BUILD), "--root", str(pristine), "check"], CODE)
            if want("check_cold") and not stages["check_cold"].add(cold):
                break
            if want("check_warm"):
                log(f"检查（check），缓存已有 {r + 1}/{runs}……")
                if not stages["check_warm"].add(run_timed([python, str(BUILD), "--root", str(pristine), "check"], CODE)):
                    break
        shutil.rmtree(cache, ignore_errors=True)  # every later stage starts without it

    if want("site_cold"):
        for r in range(runs):
            edit = dict(manifest["edit"])
            log(f"网站冷构建 {r + 1}/{runs}……")
            root = prepare(pristine, work / f"ours-{r}")
            env = fresh_env(work / f"cache-{r}")
            site = root / "site-out"
            if not stages["site_cold"].add(run_timed([python, str(BUILD), "--root", str(root), "site", "--out", str(site)],
                                                     CODE, env)):
                break
            stages["site_cold"].extra = site_figures(site)
            if want("search") and r == runs - 1:
                log("搜索：每个查询下载的索引字节数、首个结果出现的时间（CPU 降速 4 倍）……")
                stages["site_cold"].extra["search"] = _search_figures(site)
            if want("site_rebuild"):
                log(f"修改一个条款后重新构建 {r + 1}/{runs}……")
                marker = edit_clause(root, edit, r + 1)
                ok = stages["site_rebuild"].add(
                    run_timed([python, str(BUILD), "--root", str(root), "site", "--out", str(site)], CODE, env))
                stages["site_rebuild"].extra = {"edit_visible": ok and contains(site, marker), "file": edit["file"],
                                                "clause": edit["clause"]}
            if r < runs - 1:
                shutil.rmtree(root)
        for name, only in (("serve_edit", None), ("serve_only_edit", Path(manifest["edit"]["file"]).stem)):
            if want(name) and stages["site_cold"].summary()["status"] == "ok":
                log(f"预览（serve{' --only ' + only if only else ''}）：保存 YAML 到页面显示修改……")
                serve_edit(stages[name], pristine, work / name, dict(manifest["edit"]), runs, only)
        if profile and stages["site_cold"].summary()["status"] == "ok":
            manifest["site_profile"] = profile_site(pristine, work)

    if want("pdf_cold"):
        handbook = manifest["handbook"]
        for r in range(runs):
            log(f"PDF（{handbook}）冷构建 {r + 1}/{runs}……")
            root = prepare(pristine, work / f"pdf-{r}")
            env = fresh_env(work / f"pdf-cache-{r}")
            cmd = [python, str(BUILD), "--root", str(root), "pdf", "--only", handbook]
            if not stages["pdf_cold"].add(run_timed(cmd, CODE, env)):
                break
            pdfs = sorted((root / "build" / "pdf").glob("*.pdf"))
            stages["pdf_cold"].extra = pdf_figures(pdfs, handbook)
            if want("pdf_unchanged"):
                log(f"PDF 内容未变时再次构建 {r + 1}/{runs}……")
                before = {p: p.stat().st_mtime_ns for p in pdfs}
                ok = stages["pdf_unchanged"].add(run_timed(cmd, CODE, env))
                rewritten = [p.name for p in pdfs if not p.exists() or p.stat().st_mtime_ns != before[p]]
                stages["pdf_unchanged"].extra = {"no_work": ok and not rewritten, "rewritten": rewritten}
            shutil.rmtree(root)

    if want("baseline"):
        config = pristine / "baseline" / "mkdocs.yml"
        for r in range(runs):
            log(f"对照：原版 MkDocs + Material 构建 {r + 1}/{runs}……")
            site = work / f"baseline-{r}"
            env = fresh_env(work / f"baseline-cache-{r}")
            cmd = [python, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)]
            if not stages["baseline"].add(run_timed(cmd, CODE, env)):
                break
            stages["baseline"].extra = site_figures(site)
            shutil.rmtree(site)

    results = {
        "pages": pages,
        "runs": runs,
        "seed": seed,
        "command": command,
        "code": code,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                    "loadavg_before": [round(x, 2) for x in load_before],
                    "loadavg_after": [round(x, 2) for x in os.getloadavg()]},
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "content": manifest,
        "stages": {name: stage.summary() for name, stage in stages.items()},
    }
    results["ratios"] = ratios(results["stages"])
    results["targets"] = targets(results)
    return results


def serve_edit(stage: Stage, pristine: Path, work: Path, edit: dict, runs: int, only: str | None) -> None:
    """The editor's loop: ``build.py serve`` running; time from saving a clause to the served page showing it."""
    root = prepare(pristine, work)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    cmd = [sys.executable, str(BUILD), "--root", str(root), "serve", "--port", str(port)] + (["--only", only] if only else [])
    prefix = urllib.parse.urlsplit(_site_url(root)).path.strip("/")
    doc_id = Path(edit["file"]).stem
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, cwd=CODE, env=fresh_env(work.with_name(work.name + "-cache")),
                                stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
        try:
            start = time.perf_counter()
            page = _first_page(port, prefix, doc_id, proc)
            stage.extra = {"startup_seconds": round(time.perf_counter() - start, 2), "page": page}
            for r in range(runs):
                marker = edit_clause(root, edit, 100 + r)
                start = time.perf_counter()
                deadline = time.monotonic() + TIMEOUT
                while not _shows(page, marker):  # the server holds requests while it rebuilds
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError("the edit never appeared on the served page")
                    time.sleep(0.05)
                stage.add({"seconds": time.perf_counter() - start, "returncode": 0, "peak_rss_mb": _rss_mb(proc.pid)})
        except Exception as exc:  # a preview that fails or hangs is "not available"
            err.seek(0)
            tail = err.read().decode(errors="replace").strip()[-1200:]
            stage.add({"seconds": None, "returncode": proc.poll() if proc.poll() is not None else -1,
                       "error": f"{type(exc).__name__}: {exc}\n{tail}"})
        finally:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
    shutil.rmtree(root, ignore_errors=True)


def _site_url(root: Path) -> str:
    """mkdocs.yml's site_url, read by MkDocs' own YAML loader."""
    from mkdocs.utils.yaml import yaml_load

    if not (root / "mkdocs.yml").is_file():
        return ""
    with (root / "mkdocs.yml").open(encoding="utf-8") as f:
        return (yaml_load(f) or {}).get("site_url") or ""


def _first_page(port: int, prefix: str, doc_id: str, proc: subprocess.Popen) -> str:
    """Wait for the server's first build; return the URL of the edited document's page."""
    base = f"http://127.0.0.1:{port}/" + (prefix + "/" if prefix else "")
    candidates = [f"{base}{folder}/{doc_id}{suffix}" for folder in ("standards", "manuals", "curricula", "")
                  for suffix in (".html", "/")]
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"serve exited with code {proc.returncode}")
        for url in candidates:
            try:
                _get(url)
                return url
            except OSError:
                pass
        time.sleep(0.2)
    raise RuntimeError(f"no page for {doc_id} within {TIMEOUT} s")


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
        return response.read().decode("utf-8", errors="replace")


def _shows(url: str, marker: str) -> bool:
    try:
        return marker in _get(url)
    except OSError:  # connection reset or timed out mid-rebuild: ask again
        return False


def _rss_mb(pid: int) -> float | None:
    """Current resident set of the server and its children (the serve process stays alive)."""
    total = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        ppid = re.search(r"^PPid:\s+(\d+)", text, re.MULTILINE)
        if status.parent.name == str(pid) or (ppid and ppid[1] == str(pid)):
            rss = re.search(r"^VmHWM:\s+(\d+) kB", text, re.MULTILINE)
            total = max(total, int(rss[1]) if rss else 0)
    return round(total / 1024, 1) or None


def pdf_figures(pdfs: list[Path], handbook: str) -> dict:
    figures: dict = {"pdf_files": [p.name for p in pdfs], "pdf_bytes": sum(p.stat().st_size for p in pdfs)}
    main = next((p for p in pdfs if p.stem == handbook), pdfs[0] if pdfs else None)
    if main is not None:
        try:
            from pypdf import PdfReader

            figures["pdf_pages"] = len(PdfReader(main).pages)
        except Exception as exc:  # a figure we cannot read is reported, not fatal
            figures["pdf_pages_error"] = f"{type(exc).__name__}: {exc}"
    return figures


def profile_site(pristine: Path, work: Path) -> dict:
    """One cold site build under cProfile: where the time goes (is jieba the hot spot?)."""
    import pstats

    root = prepare(pristine, work / "profile")
    prof = work / "site.prof"
    cmd = [sys.executable, "-m", "cProfile", "-o", str(prof), str(BUILD), "--root", str(root), "site", "--out",
           str(root / "site-out")]
    result = run_timed(cmd, CODE, fresh_env(work / "profile-cache"))
    if result["returncode"] != 0 or not prof.exists():
        return {"status": "not available", "error": result.get("error", "")}
    stats = pstats.Stats(str(prof))
    total = stats.total_tt
    rows = []
    for (file, line, func), (_cc, _nc, tt, ct, _callers) in stats.stats.items():
        rows.append((ct, tt, f"{Path(file).name}:{line}({func})", file))

    def share(pattern: str) -> float:  # cumulative time of the outermost calls into files matching pattern
        return max((ct for ct, _tt, _n, f in rows if pattern in f), default=0.0)

    return {
        "status": "ok",
        "seconds": round(result["seconds"], 2),
        "profiled_seconds": round(total, 2),
        "jieba_cumulative_s": round(share("/jieba/"), 2),
        "jieba_self_s": round(sum(tt for _ct, tt, _n, f in rows if "/jieba/" in f), 2),
        "top_self": [{"function": n, "self_s": round(tt, 2), "cumulative_s": round(ct, 2)}
                     for ct, tt, n, _f in sorted(rows, key=lambda r: -r[1])[:15]],
        "top_cumulative": [{"function": n, "cumulative_s": round(ct, 2)}
                           for ct, _tt, n, _f in sorted(rows, key=lambda r: -r[0])[:25]],
    }


def _ratio(a, b):
    return round(a / b, 3) if isinstance(a, (int, float)) and isinstance(b, (int, float)) and b else None


def ratios(stages: dict) -> dict:
    ours, base = stages["site_cold"], stages["baseline"]
    return {
        "site_time": _ratio(ours.get("seconds"), base.get("seconds")),
        "site_size": _ratio(ours.get("output_bytes"), base.get("output_bytes")),
        "search_index_size": _ratio(ours.get("search_index_bytes"), base.get("search_index_bytes")),
        "peak_memory": _ratio(ours.get("peak_rss_mb"), base.get("peak_rss_mb")),
    }


def targets(results: dict) -> list[dict]:
    s, r = results["stages"], results["ratios"]

    def row(name, target, measured, met=None):
        if met is None and measured is not None:
            met = measured <= target
        return {"target": name, "limit": target, "measured": measured, "met": met}

    return [
        row("cold site build time / baseline", TARGETS["site_time_ratio"], r["site_time"]),
        row("site output size / baseline", TARGETS["site_size_ratio"], r["site_size"]),
        row("rebuild after a one-clause edit (s)", TARGETS["site_rebuild_s"], s["site_rebuild"].get("seconds"),
            None if s["site_rebuild"].get("seconds") is None else
            s["site_rebuild"]["seconds"] <= TARGETS["site_rebuild_s"] and bool(s["site_rebuild"].get("edit_visible"))),
        row("peak memory of the site build / baseline", TARGETS["peak_memory_ratio"], r["peak_memory"]),
        row("serve: save to page showing the edit (s)", TARGETS["serve_edit_s"], s["serve_edit"].get("seconds")),
        row("serve --only: save to page showing the edit (s)", TARGETS["serve_only_edit_s"],
            s["serve_only_edit"].get("seconds")),
        row("check, cache warm (s)", TARGETS["check_warm_s"], s["check_warm"].get("seconds")),
        row("check, no cache (s)", TARGETS["check_cold_s"], s["check_cold"].get("seconds")),
        row("large handbook PDF cold (s)", TARGETS["pdf_cold_s"], s["pdf_cold"].get("seconds")),
        row("PDF unchanged: no work", "no PDF rewritten", s["pdf_unchanged"].get("seconds"),
            s["pdf_unchanged"].get("no_work")),
    ]


# ---------------------------------------------------------------- report

def _mb(n):
    return f"{n / 1e6:.1f} MB" if isinstance(n, (int, float)) else "—"


def _s(stage: dict) -> str:
    return f"{stage['seconds']:.2f} s" if stage.get("status") == "ok" else stage.get("status", "—")


def table(results: dict) -> str:
    s, r = results["stages"], results["ratios"]
    c = results["content"]
    pdf = s["pdf_cold"]
    rows = [
        ("check, no cache", _s(s["check_cold"]), "", "", "< 3 s"),
        ("check, cache warm", _s(s["check_warm"]), "", "", "< 1 s"),
        ("cold site build", _s(s["site_cold"]), _s(s["baseline"]), _fmt_ratio(r["site_time"]), "≤ 0.2×"),
        ("rebuild after one-clause edit (build.py site)", _s(s["site_rebuild"]), "", "", "< 2 s"),
        ("serve: save → page shows the edit", _s(s["serve_edit"]), "", "", "< 2 s"),
        ("serve --only: save → page shows the edit", _s(s["serve_only_edit"]), "", "", "< 1 s"),
        ("site output size", _mb(s["site_cold"].get("output_bytes")), _mb(s["baseline"].get("output_bytes")),
         _fmt_ratio(r["site_size"]), "≤ 0.15×"),
        ("search index size", _mb(s["site_cold"].get("search_index_bytes")), _mb(s["baseline"].get("search_index_bytes")),
         _fmt_ratio(r["search_index_size"]), ""),
        ("search: index bytes per query (median / max), CPU 4×",
         " / ".join(_mb(s["site_cold"].get("search", {}).get(k)) for k in ("bytes_per_query_median", "bytes_per_query_max")),
         "", "", "≤ 1 MB"),
        ("search: first result after opening the box (median / max), CPU 4×",
         " / ".join(f"{s['site_cold'].get('search', {}).get(k, '—')} s" for k in ("first_result_median_s", "first_result_max_s")),
         "", "", "< 1 s"),
        ("HTML pages", str(s["site_cold"].get("html_pages", "—")), str(s["baseline"].get("html_pages", "—")), "", ""),
        ("peak memory (site build)", _rss(s["site_cold"]), _rss(s["baseline"]), _fmt_ratio(r["peak_memory"]), "≤ 1×"),
        (f"PDF {c['handbook']} cold ({pdf.get('pdf_pages', '?')} pages)", _s(pdf), "", "", "< 8 s"),
        ("PDF unchanged", _s(s["pdf_unchanged"]) + (" (no work)" if s["pdf_unchanged"].get("no_work") else ""), "", "",
         "no work"),
        ("peak memory (PDF)", _rss(pdf), "", "", ""),
    ]
    head = ("figure", "ours", "stock MkDocs", "ours / stock", "target")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _fmt_ratio(x):
    return f"{x:.2f}×" if isinstance(x, (int, float)) else "—"


def _rss(stage):
    return f"{stage['peak_rss_mb']:.0f} MB" if stage.get("peak_rss_mb") else "—"


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench", description="基准测试：本项目的构建与原版 MkDocs + Material 对比")
    p.add_argument("--pages", type=int, default=1000, help="合成内容库的页数（一页＝一个文件，默认 1000）")
    p.add_argument("--runs", type=int, default=3, help="每个阶段运行次数，取中位数（默认 3）")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--json", default=str(PROJECT / "bench" / "out" / "results.json"), help="结果 JSON 的路径")
    p.add_argument("--work", help="工作目录（默认临时目录，结束后删除）")
    p.add_argument("--keep", action="store_true", help="保留工作目录")
    p.add_argument("--skip", action="append", default=[], choices=[*STAGES, "search"], help="跳过某个阶段（可重复）")
    p.add_argument("--profile", action="store_true", help="另用 cProfile 跑一次网站冷构建，报告耗时最多的函数")
    p.add_argument("--timeout", type=int, default=TIMEOUT, help=f"每次运行的时限（秒，默认 {TIMEOUT}），超时记为不可用")
    return p


def main(argv: list[str] | None = None) -> int:
    global TIMEOUT
    args = parser().parse_args(argv)
    TIMEOUT = args.timeout
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="handbook-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        results = bench(args.pages, args.runs, work, seed=args.seed, skip=set(args.skip), profile=args.profile,
                        log=lambda m: print(m, file=sys.stderr, flush=True),
                        command=" ".join(["python -m bench", *(sys.argv[1:] if argv is None else argv)]))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(table(results))
    print()
    for t in results["targets"]:
        mark = {True: "met", False: "NOT met", None: "not measured"}[t["met"]]
        print(f"- {t['target']}: {t['measured']} (limit {t['limit']}) — {mark}")
    print(f"\nJSON: {out}")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    """``python build.py bench [options]``: the options are those of ``python -m bench``."""
    return main(list(getattr(args, "options", []) or []))
