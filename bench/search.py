"""Search on a phone: index bytes a query downloads and time to its first result, CPU throttled 4×.

    python -m bench.search SITE_DIR [--throttle 4] [--json out.json]

Serves SITE_DIR on 127.0.0.1, opens its home page in Debian's Chromium, throttles the CPU through
CDP (Emulation.setCPUThrottlingRate), clicks the search box and types each query; the clock runs
from the click (the engine and index are loaded on first use) to the first result on screen.
Bytes are the bodies of every search/ and search.js response of that page.
"""

from __future__ import annotations

import argparse
import functools
import json
import statistics
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

# Words, a partial word, a verbatim phrase and a two-part query, as a worker types them.
QUERIES = ["社区康复", "动机式访谈", "同伴教育", "风险评估", "安全计划", "远离以往的吸毒交往圈", "岗前培训 学时", "朋辈"]


def measure_search(site: Path, queries=QUERIES, throttle: float = 4.0) -> dict:
    from playwright.sync_api import sync_playwright

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{httpd.server_address[1]}"
    rows = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
            for query in queries:
                page = browser.new_page()
                cdp = page.context.new_cdp_session(page)
                cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle})
                sizes: list[int] = []

                def seen(response, sizes=sizes):
                    url = response.url
                    if "/search/" in url or url.endswith("/search.js"):
                        try:
                            sizes.append(len(response.body()))
                        except Exception:  # noqa: BLE001 - a body the browser no longer holds counts as unknown
                            pass

                page.on("response", seen)
                page.goto(origin + "/index.html", wait_until="load")
                start = time.perf_counter()
                page.click("input.md-search__input")
                page.fill("input.md-search__input", query)
                page.wait_for_function("q => document.querySelector('.md-search-result__list').dataset.query === q",
                                       arg=query, timeout=60000)
                seconds = time.perf_counter() - start
                page.wait_for_timeout(200)
                hits = page.locator(".md-search-result__item").count()
                rows.append({"query": query, "seconds": round(seconds, 3), "bytes": sum(sizes), "files": len(sizes),
                             "results": hits})
                page.close()
            browser.close()
    finally:
        httpd.shutdown()
        httpd.server_close()
    index = site / "search"
    return {
        "throttle": throttle,
        "index_bytes": sum(f.stat().st_size for f in index.iterdir()) if index.is_dir() else None,
        "first_result_median_s": round(statistics.median(r["seconds"] for r in rows), 3),
        "first_result_max_s": max(r["seconds"] for r in rows),
        "bytes_per_query_median": int(statistics.median(r["bytes"] for r in rows)),
        "bytes_per_query_max": max(r["bytes"] for r in rows),
        "queries": rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--throttle", type=float, default=4.0)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    result = measure_search(args.site, throttle=args.throttle)
    for row in result["queries"]:
        print(f"{row['query']:<14} {row['seconds']:6.2f} s  {row['bytes'] / 1024:7.1f} KB in {row['files']:3d} files  "
              f"{row['results']} results")
    print(f"index {result['index_bytes'] / 1024:.0f} KB; per query median {result['bytes_per_query_median'] / 1024:.0f} KB, "
          f"max {result['bytes_per_query_max'] / 1024:.0f} KB; first result median {result['first_result_median_s']} s, "
          f"max {result['first_result_max_s']} s (CPU {args.throttle:g}× slower)")
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
