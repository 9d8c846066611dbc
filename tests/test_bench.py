"""The benchmark's generator writes a valid library, and a tiny benchmark run writes well-formed JSON.

No timing is asserted: timings depend on the machine, the JSON's shape does not.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

from bench.generate import generate
from bench.run import STAGES

ROOT = Path(__file__).resolve().parent.parent


def test_generated_library_passes_check(tmp_path):
    manifest = generate(tmp_path, pages=12, seed=3)
    files = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.glob("*/*.yaml"))
    assert len(files) == manifest["documents"] == 12
    kinds = {yaml.safe_load((tmp_path / f).read_text(encoding="utf-8"))["kind"] for f in files}
    assert kinds == {"standard", "manual", "curriculum"}
    first = (tmp_path / files[0]).read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")

    done = subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(tmp_path), "check"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == ""  # not even a warning or an info line
    # the same documents as plain Markdown pages for the stock-MkDocs baseline
    pages = list((tmp_path / "baseline" / "docs").glob("*/*.md"))
    assert len(pages) == 12
    assert "search" in (tmp_path / "baseline" / "mkdocs.yml").read_text(encoding="utf-8")


def test_generator_is_deterministic_for_a_seed(tmp_path):
    generate(tmp_path / "a", pages=6, seed=1)
    generate(tmp_path / "b", pages=6, seed=1)
    generate(tmp_path / "c", pages=6, seed=2)
    read = lambda d: {p.name: p.read_bytes() for p in sorted((tmp_path / d).glob("*/*.yaml"))}  # noqa: E731
    assert read("a") == read("b")
    assert read("a") != read("c")


def test_smoke_run_writes_well_formed_json(tmp_path):
    out = tmp_path / "results.json"
    done = subprocess.run([sys.executable, "-m", "bench", "--pages", "5", "--runs", "1", "--json", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "| cold site build |" in done.stdout  # the table is printed
    results = json.loads(out.read_text(encoding="utf-8"))
    assert {"pages", "runs", "machine", "content", "stages", "ratios", "targets"} <= results.keys()
    assert results["pages"] == 5 and results["content"]["documents"] == 5
    assert set(results["stages"]) == set(STAGES)
    for name, stage in results["stages"].items():
        assert stage["status"] in {"ok", "not available", "skipped"}, name
        if stage["status"] == "ok":
            assert len(stage["times"]) == 1 and stage["seconds"] == stage["times"][0]
            assert stage["peak_rss_mb"] > 0
    for key in ("site_time", "site_size", "search_index_size", "peak_memory"):
        assert key in results["ratios"]
    assert all({"target", "limit", "measured", "met"} <= row.keys() for row in results["targets"])
    if results["stages"]["baseline"]["status"] == "ok":
        assert results["stages"]["baseline"]["html_pages"] >= 5
