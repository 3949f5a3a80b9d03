#!/usr/bin/env python3
"""Lighthouse on every page of a built site: mobile and desktop, light and dark (issue 13).

    make site && .venv/bin/python scripts/lighthouse.py            # ~15 min on 2 cores
    .venv/bin/python scripts/lighthouse.py --runs 1 --pages multi-input/ mnist/

A benchmark, not a test. The site is served on 127.0.0.1 under site_url's path with gzip and
`Cache-Control: max-age=600`, as GitHub Pages serves it. Lighthouse 12 (pinned in
scripts/lighthouse/package.json, installed with `npm ci` on first use) drives Debian's
chromium, which cannot reach any other host. For every page of the sitemap:

* mobile (Lighthouse's default: a mid-range phone, simulated slow 4G and 4× CPU slowdown)
  and desktop (`--preset=desktop`), --runs runs each; scores and timings are medians;
* accessibility once more with the dark palette (chromium's --force-dark-mode makes
  `prefers-color-scheme: dark`, which the site follows on a first visit).

It prints a table (score per category, FCP, LCP, TBT, CLS, transferred KB, render-blocking
scripts) with the goals of issue 13 checked — accessibility 100 everywhere, mobile
performance ≥ 95, CLS ≤ 0.02, no render-blocking script over 5 KB — and writes every number
to build/lighthouse.json.
"""
from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import io
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
TOOL = ROOT / "scripts" / "lighthouse"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run "
                "--disable-background-networking --disable-component-update --disable-sync "
                "--host-resolver-rules='MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = {"fcp": "first-contentful-paint", "lcp": "largest-contentful-paint",
           "tbt": "total-blocking-time", "cls": "cumulative-layout-shift",
           "bytes": "total-byte-weight"}
COMPRESSED = ("text/html", "text/css", "text/javascript", "application/javascript",
              "image/svg+xml", "application/json", "text/plain")
BLOCKING_SCRIPT_LIMIT = 5 * 1024


# ---------------------------------------------------------------- serving like GitHub Pages

class _Handler(http.server.SimpleHTTPRequestHandler):
    base = "/"
    # Keep-alive, as GitHub Pages (HTTP/2: one connection for the page). With http.server's
    # default HTTP/1.0 every file paid a new connection, which Lighthouse's simulated slow
    # network charges a round trip each.
    protocol_version = "HTTP/1.1"

    def translate_path(self, path):
        # send_head answers 404 to anything outside base before asking this
        return super().translate_path("/" + urlsplit(path).path[len(self.base):])

    def send_head(self):
        if not urlsplit(self.path).path.startswith(self.base):
            # e.g. Lighthouse's /robots.txt: GitHub Pages has none outside the site either
            self.send_error(404)
            return None
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            return super().send_head()
        data, ctype = path.read_bytes(), self.guess_type(str(path))
        compress = ctype.split(";")[0] in COMPRESSED and "gzip" in self.headers.get(
            "Accept-Encoding", "")
        if compress:
            data = gzip.compress(data, 6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        if compress:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        return io.BytesIO(data)

    def log_message(self, format, *args):
        pass


@contextlib.contextmanager
def serve(site: Path, base: str):
    handler = functools.partial(type("Handler", (_Handler,), {"base": base}), directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{base}"
    finally:
        server.shutdown()
        server.server_close()


def site_pages(site: Path) -> tuple[str, list[str]]:
    """site_url's path and every page of the sitemap, relative to it."""
    urls = re.findall(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8"))
    if not urls:
        raise SystemExit(f"{site}/sitemap.xml lists no page")
    base = urlsplit(urls[0]).path
    return base, [urlsplit(u).path[len(base):] for u in urls]


# ---------------------------------------------------------------- running Lighthouse

def lighthouse_bin() -> Path:
    binary = TOOL / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        print("installing Lighthouse (npm ci in scripts/lighthouse) …", file=sys.stderr)
        subprocess.run(["npm", "ci", "--silent", "--prefix", str(TOOL)], check=True)
    return binary


def run_lighthouse(binary: Path, url: str, desktop: bool, dark: bool,
                   categories=CATEGORIES) -> dict:
    flags = CHROME_FLAGS + (" --force-dark-mode" if dark else "")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        command = [str(binary), url, "--quiet", f"--chrome-flags={flags}", "--output=json",
                   f"--output-path={out}", f"--only-categories={','.join(categories)}"]
        if desktop:
            command.append("--preset=desktop")
        env = dict(os.environ, CHROME_PATH=CHROMIUM)
        subprocess.run(command, check=True, env=env, timeout=300, stdout=subprocess.DEVNULL)
        report = json.loads(out.read_text(encoding="utf-8"))
    return summarise(report)


def summarise(report: dict) -> dict:
    audits = report["audits"]
    result = {c: round(100 * report["categories"][c]["score"]) for c in report["categories"]}
    for key, audit in METRICS.items():
        if audit in audits and audits[audit].get("numericValue") is not None:
            result[key] = audits[audit]["numericValue"]
    blocking = audits.get("render-blocking-resources", {}).get("details", {}).get("items", [])
    result["blocking_scripts"] = {i["url"]: i.get("totalBytes", 0) for i in blocking
                                  if urlsplit(i["url"]).path.endswith((".js", ".mjs"))}
    failed = []
    for ref in report["categories"].get("accessibility", {}).get("auditRefs", []):
        audit = audits[ref["id"]]
        if ref["weight"] and audit.get("score") is not None and audit["score"] < 1:
            failed.append(ref["id"])
    result["accessibility_failures"] = failed
    return result


def median_of(runs: list[dict]) -> dict:
    merged = {}
    for key in runs[0]:
        values = [r[key] for r in runs if key in r]
        if all(isinstance(v, (int, float)) for v in values):
            merged[key] = statistics.median(values)
        else:
            merged[key] = values[-1]
    return merged


# ---------------------------------------------------------------- report

def verdicts(page: dict) -> list[str]:
    problems = []
    for mode in ("mobile", "desktop", "dark"):
        if page[mode].get("accessibility", 100) < 100:
            problems.append(f"{mode} accessibility {page[mode]['accessibility']}: "
                            f"{', '.join(page[mode]['accessibility_failures'])}")
    if page["mobile"]["performance"] < 95:
        problems.append(f"mobile performance {page['mobile']['performance']} < 95")
    for mode in ("mobile", "desktop"):
        if page[mode]["cls"] > 0.02:
            problems.append(f"{mode} CLS {page[mode]['cls']:.3f} > 0.02")
        for url, size in page[mode]["blocking_scripts"].items():
            if size > BLOCKING_SCRIPT_LIMIT:
                problems.append(f"{mode}: render-blocking script {url} ({size / 1024:.0f} KB)")
    return problems


def table(results: dict) -> str:
    head = ("| 页面 | 设备 | 性能 | 无障碍（浅/深） | 最佳实践 | SEO | FCP | LCP | TBT | CLS | 传输 |\n"
            "|------|------|-----:|------:|-----:|----:|----:|----:|----:|----:|-----:|")
    rows = [head]
    for page, r in results.items():
        for mode in ("mobile", "desktop"):
            m = r[mode]
            a11y = f"{m['accessibility']:.0f}" + (f" / {r['dark']['accessibility']:.0f}"
                                                  if mode == "mobile" else "")
            rows.append(f"| {page or '首页'} | {'手机' if mode == 'mobile' else '桌面'} | "
                        f"{m['performance']:.0f} | {a11y} | {m['best-practices']:.0f} | "
                        f"{m['seo']:.0f} | {m['fcp'] / 1000:.1f} s | {m['lcp'] / 1000:.1f} s | "
                        f"{m['tbt']:.0f} ms | {m['cls']:.3f} | {m['bytes'] / 1024:.0f} KB |")
    return "\n".join(rows)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="built site (make site)")
    parser.add_argument("--runs", type=int, default=3, help="runs per page and device (median)")
    parser.add_argument("--pages", nargs="+", help="only these pages (paths under site_url)")
    parser.add_argument("--json", type=Path, default=ROOT / "build" / "lighthouse.json")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        parser.error(f"{args.site} has no index.html: run `make site` first")
    if not shutil.which("node") or not Path(CHROMIUM).exists():
        parser.error("needs node (20) and Debian's chromium (CHROME_PATH)")
    binary = lighthouse_bin()
    base, pages = site_pages(args.site)
    pages = args.pages or pages
    results = {}
    with serve(args.site, base) as url:
        for page in pages:
            r = {}
            for mode in ("mobile", "desktop"):
                runs = [run_lighthouse(binary, url + page, mode == "desktop", False)
                        for _ in range(args.runs)]
                r[mode] = median_of(runs) | {"runs": runs}
            r["dark"] = run_lighthouse(binary, url + page, False, True, ("accessibility",))
            results[page] = r
            m = r["mobile"]
            print(f"{page or '/':<32} mobile {m['performance']:.0f}  a11y {m['accessibility']:.0f}"
                  f"/{r['dark']['accessibility']:.0f}  LCP {m['lcp'] / 1000:.1f} s  "
                  f"TBT {m['tbt']:.0f} ms  CLS {m['cls']:.3f}", file=sys.stderr, flush=True)
    print(table(results))
    problems = {page: verdicts(r) for page, r in results.items()}
    for page, found in problems.items():
        for problem in found:
            print(f"未达标  {page or '首页'}: {problem}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"runs": args.runs, "pages": results}, indent=1,
                                    ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"全部数字：{args.json}")
    return 1 if any(problems.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
