"""Measure the page's "运行" button (Python in Pyodide, in a worker) on a built site.

    .venv/bin/python scripts/bench_pyodide.py site [--runs 10]

Serves the site on 127.0.0.1 (a plain http.server, no compression, as `make serve` or
`python -m http.server` would), opens multi-input/ in a fresh headless Chromium (empty cache),
and times, in the page (performance.now() from the click to the output's data-status):
the first run of `python -m gdbook run multi-input` (Pyodide downloaded and started), then
later runs of the same block (median). The server counts the bytes it sent for the first run.
Prints one JSON object; scripts/bench.py --only pyodide calls this and keeps the numbers.
"""
import argparse
import functools
import http.server
import json
import statistics
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
from gdbook.sitecheck import site_base  # noqa: E402  (the site's path, read from mkdocs.yml)

FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "--disable-dev-shm-usage"]

# Clicks the run button of the first block showing `command` and resolves with the time until
# the output's data-status says the run ended.
CLICK_AND_TIME = """
const [command, done] = [arguments[0], arguments[arguments.length - 1]];
const block = [...document.querySelectorAll("article .highlight.language-bash")]
  .find((b) => b.querySelector("pre > code").textContent.trim() === command);
const bar = block.nextElementSibling, out = bar.nextElementSibling;
const start = performance.now();
new MutationObserver((_, observer) => {
  if (!["running", undefined].includes(out.dataset.status)) {
    observer.disconnect();
    done({ ms: performance.now() - start, status: out.dataset.status });
  }
}).observe(out, { attributes: true, attributeFilter: ["data-status"] });
bar.querySelector("button.gdbook-run").click();
"""


def serve(site: Path):
    sent = []                                   # (path, bytes)
    base = site_base(ROOT / "mkdocs.yml")

    class Handler(http.server.SimpleHTTPRequestHandler):
        def translate_path(self, path):
            path = urlsplit(path).path
            return super().translate_path("/" + path[len(base):]) if path.startswith(base) else ""

        def log_request(self, code="-", size="-"):
            file = Path(self.translate_path(self.path))
            sent.append((self.path, file.stat().st_size if code == 200 and file.is_file() else 0))

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(site)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}{base}", sent


def measure(site: Path, runs: int, command="python -m gdbook run multi-input") -> dict:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.support.ui import WebDriverWait

    server, url, sent = serve(site)
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in FLAGS:
        options.add_argument(flag)
    with tempfile.TemporaryDirectory() as profile:
        options.add_argument(f"--user-data-dir={profile}")     # empty cache: a first visit
        driver = webdriver.Chrome(options=options, service=Service(executable_path="/usr/bin/chromedriver"))
        try:
            driver.set_script_timeout(120)
            driver.get(url + "multi-input/")
            WebDriverWait(driver, 30).until(lambda d: d.execute_script(
                "return document.readyState === 'complete' && !!document.querySelector('.gdbook-run')"))
            page_bytes = sum(n for _, n in sent)
            before = len(sent)
            first = driver.execute_async_script(CLICK_AND_TIME, command)
            first_files = sent[before:]
            later = [driver.execute_async_script(CLICK_AND_TIME, command) for _ in range(runs)]
        finally:
            driver.quit()
            server.shutdown()
    assert first["status"] == "done" and all(r["status"] == "done" for r in later), (first, later)
    return {
        "pyodide_first_run_s": first["ms"] / 1000,
        "pyodide_later_run_ms": statistics.median(r["ms"] for r in later),
        "pyodide_later_runs_ms": [round(r["ms"], 1) for r in later],
        "pyodide_first_run_bytes": sum(n for _, n in first_files),
        "pyodide_first_run_files": {urlsplit(p).path.rsplit("/", 1)[-1]: n for p, n in first_files},
        "pyodide_page_bytes_before_click": page_bytes,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="a built site (make site → site/)")
    parser.add_argument("--runs", type=int, default=10, help="later runs (median)")
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.site.resolve(), args.runs), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
