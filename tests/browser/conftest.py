"""Fixtures for the tests that look at the built site.

* ``site_server``: the base URL of the built site (``built_site``, tests/conftest.py):
  http://gdbook.test/ + the path of ``site_url`` (as on GitHub Pages), with 404.html for
  unknown addresses. A server on 127.0.0.1 serves it and is the browser's HTTP proxy (see
  SITE_HOST); any other host gets the 404 page.
* ``driver``: headless Debian chromium through Selenium 4, offline (its only way out is that
  proxy; every host name but 127.0.0.1 fails to resolve). Without /usr/bin/chromium or
  /usr/bin/chromedriver the browser tests are skipped, unless ``GDBOOK_REQUIRE_BROWSER=1``
  (CI), which fails them.

* ``screenshot``: pictures of the pages for a person to look at, taken only when
  ``GDBOOK_SCREENSHOTS`` names a folder (``make screenshots``: build/screenshots/); the
  path is printed at the end of the run.

Every test in this folder is marked ``browser``: ``pytest -m "not browser"`` skips them (and
never starts chromium).
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from sitenav import base_path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent

CHROMIUM = os.environ.get("GDBOOK_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("GDBOOK_CHROMEDRIVER", "/usr/bin/chromedriver")
# A folder for screenshots of every page (`make screenshots`); unset, none are taken.
SCREENSHOTS = Path(os.environ["GDBOOK_SCREENSHOTS"]) if os.environ.get("GDBOOK_SCREENSHOTS") else None
# Headless, quiet, and unable to reach any other host (every name but 127.0.0.1 fails to
# resolve), so a request to another host shows up as a failed request in the tests.
CHROMIUM_FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--disable-dev-shm-usage", "--hide-scrollbars", "--lang=zh-CN",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)


# -- the served site -------------------------------------------------------------------

# The browser reaches the site at http://gdbook.test/ (port 80, as GitHub Pages serves it on
# 443) through the test server acting as its HTTP proxy. A default port matters: Material's
# instant navigation matches links against sitemap.xml by protocol and host name only, so on
# an address with a port (127.0.0.1:8000) every click is a full reload, and the tests would
# never see the page's scripts (the running Python) live on from page to page as readers do.
SITE_HOST = "gdbook.test"          # .test is reserved: it never names a real host


class _Handler(http.server.SimpleHTTPRequestHandler):
    base = "/"
    served: list = []              # every path requested (a web worker's too), in order
    protocol_version = "HTTP/1.1"  # keep-alive, as a real server: one connection, many files
    elsewhere = False              # a proxy request for another host than SITE_HOST

    def parse_request(self):
        """A proxy request names the whole URL: keep its path, and only for SITE_HOST."""
        if not super().parse_request():
            return False
        url = urlsplit(self.path)
        self.elsewhere = bool(url.scheme) and url.hostname != SITE_HOST
        if url.scheme:
            self.path = url.path + (f"?{url.query}" if url.query else "")
        return True

    def translate_path(self, path):
        path = path.split("?", 1)[0].split("#", 1)[0]
        if self.elsewhere or not path.startswith(self.base):
            return os.path.join(self.directory, "no such file", "")    # served as 404
        return super().translate_path("/" + path[len(self.base):])

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_request(self, code="-", size="-"):
        self.served.append(self.path if not self.elsewhere else f"{code} {self.requestline}")

    def log_message(self, format, *args):
        pass


_served: list[str] = []


@pytest.fixture(scope="session")
def site_proxy(built_site):
    """(host, port) of the test server on 127.0.0.1: the site's files, and the browser's proxy."""
    handler = functools.partial(type("Handler", (_Handler,), {"base": base_path(),
                                                              "served": _served}),
                                directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def site_server(site_proxy):
    """Base URL (ending in /) of the built site, as the browser (the driver) reaches it."""
    return f"http://{SITE_HOST}{base_path()}"


@pytest.fixture
def served_paths(site_server):
    """The paths the server answered since the test began. A web worker's requests (Pyodide's
    files) never reach the page's network log, so tests read them here."""
    _served.clear()
    return _served


# -- the browser -----------------------------------------------------------------------

def _unavailable(reason: str):
    if os.environ.get("GDBOOK_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (GDBOOK_REQUIRE_BROWSER=1)", pytrace=False)
    pytest.skip(f"{reason}; install Debian chromium and chromium-driver to run the browser tests")


@pytest.fixture(scope="session")
def driver(site_proxy):
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not os.access(p, os.X_OK)]
    if missing:
        _unavailable(f"not found: {', '.join(missing)}")
    os.environ.setdefault("SE_AVOID_STATS", "true")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument("--window-size=1280,900")
    options.add_argument("--proxy-server=http://%s:%d" % site_proxy)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    try:
        browser = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    except Exception as error:  # a broken install must not pass silently in CI
        _unavailable(f"chromium did not start: {error}")
    browser.set_page_load_timeout(30)
    yield browser
    browser.quit()


@pytest.fixture(scope="session")
def screenshot():
    """``screenshot(NAME, save)``: with GDBOOK_SCREENSHOTS set to a folder (``make screenshots``),
    ``save(path)`` writes the picture there as NAME; otherwise nothing is drawn (a whole page
    is ~15 million pixels to paint and encode: 0.3–0.5 s each, 22 of them)."""
    if not SCREENSHOTS:
        return lambda name, save: None
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return lambda name, save: save(SCREENSHOTS / name)


_started = time.time()


def pytest_terminal_summary(terminalreporter):
    """Say where this run's screenshots are (they may come from pytest-xdist workers)."""
    if SCREENSHOTS and any(p.stat().st_mtime >= _started for p in SCREENSHOTS.glob("*.png")):
        terminalreporter.write_line(f"gdbook: screenshots of every page are in {SCREENSHOTS}/")
