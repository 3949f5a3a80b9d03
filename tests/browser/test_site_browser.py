"""The built site in headless chromium: every page of the page tree, light and dark.

Each page must load without a console error, with every image decoded, showing the figure
variant of the current palette, without a request to any host but the site's, without an
accessibility violation found by axe-core (on a 1280-px desktop window and on a 390-px phone,
in both palettes), and without horizontal scrolling on the phone. Math must be typeset by KaTeX and the search
must find Chinese words. With GDBOOK_SCREENSHOTS (make screenshots), a picture of every page
in both palettes, at both widths, is saved for a person to look at.
"""

from __future__ import annotations

import base64
import functools
import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.common.by import By
from waiting import wait

from axe import axe_violations
from browserlog import console_errors, python_downloads, requested_urls
from sitenav import nav_pages, page_id

pytestmark = pytest.mark.browser

PAGES = nav_pages()
PAGE_IDS = [page_id(url) for _, url in PAGES]
SCHEMES = {"light": "default", "dark": "slate"}
ROOT = Path(__file__).resolve().parents[2]


# -- helpers ---------------------------------------------------------------------------

def drain_logs(driver):
    driver.get_log("browser")
    driver.get_log("performance")


# Two animation frames: what the page's scripts started on load (Material's mounting, the
# run bars, a11y.js's once-per-frame repairs) has been drawn.
_TWO_FRAMES = ("const done = arguments[arguments.length - 1];"
               "requestAnimationFrame(() => requestAnimationFrame(() => done()));")


def wait_until_settled(driver, timeout=15):
    """Wait for the load event, every eager <img> to finish and Material's scripts, then two
    frames.

    Figures are loading=lazy, and the panels load as a reader nears them: both come when the
    page is scrolled through (see scroll_through)."""
    wait(driver, timeout).until(lambda d: d.execute_script(
        "return document.readyState === 'complete'"
        " && Array.from(document.images).every(img => img.complete || img.loading === 'lazy')"
        " && typeof document$ !== 'undefined'"))
    driver.execute_async_script(_TWO_FRAMES)


def set_scheme(driver, scheme):
    """Click Material's palette toggle until the page shows `scheme`; it is remembered."""
    current = lambda d: d.execute_script("return document.body.dataset.mdColorScheme")
    for _ in range(3):
        if current(driver) == scheme:
            return
        before = current(driver)
        toggle = next(label for label in driver.find_elements(
            By.CSS_SELECTOR, "form[data-md-component=palette] label") if label.is_displayed())
        toggle.click()
        wait(driver, 5).until(lambda d: current(d) != before)
    assert current(driver) == scheme


def follow_system(driver, palette):
    """The system colour scheme the page sees (prefers-color-scheme); None: the browser's own."""
    features = [{"name": "prefers-color-scheme", "value": palette}] if palette else []
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": features})


def open_page(driver, url, scheme):
    """Load `url` in `scheme`, with the browser and network logs of that load only.

    The browser cache is off and emptied, so a request in the log is a download: Chromium takes
    a lazy image that is already in its memory cache at once, even one that is display:none (a
    figure of the other palette seen on an earlier load), which is no download at all. Web fonts
    too come fresh, as on a first visit (load_shift_problems)."""
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
    driver.execute_cdp_cmd("Network.clearBrowserCache", {})    # and fonts from an earlier page
    drain_logs(driver)
    driver.get(url)
    wait_until_settled(driver)
    if driver.execute_script("return document.body.dataset.mdColorScheme") != scheme:
        set_scheme(driver, scheme)
        drain_logs(driver)
        driver.execute_cdp_cmd("Network.clearBrowserCache", {})
        driver.get(url)       # load again, now in the chosen palette, with fresh logs
        wait_until_settled(driver)




# Scroll down one window at a time, two frames at each stop (the lazy figures within reach
# start loading, Material mounts the code blocks in view, the panels' module loads), then wait
# for the shown images and the panels.
_SCROLL_THROUGH = """
const done = arguments[arguments.length - 1];
const frames = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
const shown = () => Array.from(document.images).filter(i => i.getClientRects().length);
const mounted = () => Array.from(document.querySelectorAll('div.gdbook-lab'))
    .every(lab => lab.classList.contains('gdbook-lab--mounted'));
(async () => {
    for (let y = 0; y < document.documentElement.scrollHeight; y += window.innerHeight) {
        window.scrollTo(0, y);
        await frames();
    }
    for (let t = 0; t < 300 && !(shown().every(i => i.complete) && mounted()); t++)   // up to 15 s
        await new Promise(r => setTimeout(r, 50));
    window.scrollTo(0, 0);
    await frames();
    done();
})();
"""


def scroll_through(driver):
    """Scroll to the bottom and back so lazily loaded figures of the shown palette load
    (an image that never completes is reported by the caller, image by image)."""
    driver.set_script_timeout(30)
    driver.execute_async_script(_SCROLL_THROUGH)


def when_still(driver):
    """Wait until no CSS transition or animation runs (the header's title slides between the
    site's and the page's name after scrolling back to the top)."""
    wait(driver, 5).until(lambda d: d.execute_script(
        "return document.getAnimations().every(a => a.playState !== 'running')"))


def full_page_screenshot(driver, path):
    """The whole page as a reader scrolling down sees it: blocks under `content-visibility:
    auto` are drawn for the picture (off screen, the browser skips them: they come out blank)."""
    driver.execute_script(
        "const style = document.createElement('style'); style.id = 'gdbook-shot';"
        "style.textContent = '* { content-visibility: visible !important; }';"
        "document.head.append(style);")
    try:
        height = min(driver.execute_script("return document.documentElement.scrollHeight"), 16000)
        width = driver.execute_script("return document.documentElement.clientWidth")
        shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}})
    finally:
        driver.execute_script("document.getElementById('gdbook-shot').remove()")
    path.write_bytes(base64.b64decode(shot["data"]))


# -- tests -----------------------------------------------------------------------------

@pytest.mark.parametrize("title,url", PAGES, ids=PAGE_IDS)
@pytest.mark.parametrize("palette", list(SCHEMES))   # all pages light, then all dark
def test_page_in_palette(driver, site_server, screenshot, title, url, palette):
    """The reader's palette is the system's, as Material chooses on a first visit (the
    first figure follows the system scheme: see test_palette_unlike_the_system)."""
    scheme = SCHEMES[palette]
    follow_system(driver, palette)
    try:
        open_page(driver, site_server + url, scheme)
        _check_page_in_palette(driver, site_server, screenshot, title, url, palette)
    finally:
        follow_system(driver, None)


def _check_page_in_palette(driver, site_server, screenshot, title, url, palette):
    shifted = load_shift_problems(driver, url)
    scroll_through(driver)
    screenshot(f"{page_id(url)}.{palette}.png",
               lambda path: (when_still(driver), full_page_screenshot(driver, path)))

    problems = shifted + [f"console error: {m}" for m in console_errors(driver)]

    local = urlsplit(site_server).netloc
    requests = requested_urls(driver)
    problems += [f"request to another host: {u}" for u in requests
                 if urlsplit(u).scheme in ("http", "https", "ws", "wss")
                 and urlsplit(u).netloc != local]

    # Every image that is shown (the current palette's figures, logos…) has loaded.
    problems += [f"image did not load: {src}" for src in driver.execute_script(
        "return Array.from(document.images).filter(img => img.getClientRects().length)"
        ".filter(img => !(img.complete && img.naturalWidth > 0)).map(img => img.src)")]

    # figures/ID.light.svg#only-light and figures/ID.dark.svg#only-dark, loading=lazy, and the
    # first figure's <picture> of the system's palette: only the variant of the current palette
    # is visible, and the other one is never downloaded.
    wrong = ".light." if palette == "dark" else ".dark."
    problems += [f"hidden {wrong.strip('.')} figure downloaded in {palette} mode: {u}"
                 for u in requests if "/figures/" in u and wrong in u]
    problems += [f"{wrong.strip('.')} figure shown in {palette} mode: {src}"
                 for src in driver.execute_script(
                     "return Array.from(document.querySelectorAll('article img[src*=\"/figures/\"]'))"
                     ".filter(i => i.getClientRects().length).map(i => i.currentSrc)")
                 if wrong in src]
    # The first figure of a page is not lazy (LCP); the others are.
    problems += [f"lazy first figure: {src}" for src in driver.execute_script(
        "const img = Array.from(document.querySelectorAll('article img[src*=\"/figures/\"]'))"
        ".find(i => i.getClientRects().length);"
        "return img && img.loading === 'lazy' ? [img.currentSrc] : []")]

    # The page's Python (Pyodide, the worker, gdbook's zip) is downloaded on a click only.
    problems += [f"Python downloaded before a click: {u}" for u in python_downloads(requests)]

    # The panels' module (and its engine and data) is fetched on the pages that have a panel only.
    has_panel = driver.execute_script("return !!document.querySelector('div.gdbook-lab')")
    fetched = any(urlsplit(u).path.endswith("/gdbook-lab.mjs") for u in requests)
    if fetched != has_panel:
        problems.append(f"panel module {'fetched' if fetched else 'not fetched'} on a page "
                        f"{'without' if not has_panel else 'with'} a panel")

    problems += figure_problems(driver, url, smallest=11)
    problems += preload_problems(driver, url)
    problems += render_wait_problems(driver, url)
    problems += parser_script_problems(driver, url)
    problems += [f"axe: {v}" for v in axe_violations(driver)]
    assert problems == [], "\n".join(problems)
    assert url == "" or title in driver.title   # the home page is titled by site_name


FIGURE_PAGES = [(t, u) for t, u in PAGES if u and (ROOT / "docs" / f"{u.strip('/')}.md").is_file()
                and "docs/figures/" in (ROOT / "docs" / f"{u.strip('/')}.md").read_text(encoding="utf-8")]


# Every page's figure markup comes from the same snippet code: an SVG page and a PNG page
# (the first figure of mnist/ is a PNG) stand for them all.
UNLIKE_PAGES = [(t, u) for t, u in FIGURE_PAGES if u in ("multi-input/", "mnist/")]


@pytest.mark.parametrize("title,url", UNLIKE_PAGES, ids=[page_id(u) for _, u in UNLIKE_PAGES])
@pytest.mark.parametrize("palette", list(SCHEMES))
def test_palette_unlike_the_system(driver, site_server, title, url, palette):
    """A reader who chose the other palette than the system's sees that palette's figures.

    The first figure is loaded eagerly (LCP) and can only follow the system scheme: here it
    is downloaded in the system's palette but hidden, and the chosen palette's lazy copy is
    shown. That one file is the price; every other figure of the other palette stays unloaded."""
    system = "light" if palette == "dark" else "dark"
    follow_system(driver, system)
    try:
        open_page(driver, site_server + url, SCHEMES[palette])
        scroll_through(driver)
        other = [u.rsplit("/", 1)[1] for u in requested_urls(driver)
                 if "/figures/" in u and f".{system}." in u]
        first = driver.execute_script(
            "const img = document.querySelector('article .gd-figure--system img');"
            "return img && img.currentSrc")
        shown = driver.execute_script(
            "return Array.from(document.querySelectorAll('article img[src*=\"/figures/\"]'))"
            ".filter(i => i.getClientRects().length).map(i => i.currentSrc)")
    finally:
        follow_system(driver, None)
    assert first and f".{system}." in first
    assert other == [first.rsplit("/", 1)[1]]
    assert shown and all(f".{palette}." in src for src in shown), shown


# Before each page's own scripts: for every frame the page draws while it loads, its palette
# and whether Material's bundle has run yet (it defines document$).
_RECORD_FRAMES = """
window.gdFrames = [];
(function next() {
    requestAnimationFrame(() => {
        if (document.body)
            gdFrames.push([document.body.dataset.mdColorScheme, typeof document$ !== 'undefined']);
        if (document.readyState !== 'complete') next();
    });
})();
"""


# A slow phone as Lighthouse simulates it: 150 ms round trips, 1.6 Mbit/s, the CPU 4× slower.
# The page then draws while its parser is still reading, before Material's bundle runs.
_SLOW_NETWORK = {"offline": False, "latency": 150,
                 "downloadThroughput": 200_000, "uploadThroughput": 100_000}
_FAST_NETWORK = {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}


@pytest.mark.parametrize("palette", list(SCHEMES))
def test_first_visit_is_drawn_in_the_system_palette(driver, site_server, palette):
    """A first visit (no palette stored) is drawn in the system's palette from its first frame
    on, not in Material's first palette until Material's bundle has run. Some frames must come
    before the bundle, or the test would prove nothing."""
    recorder = None
    try:
        follow_system(driver, palette)
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
        driver.get("about:blank")       # no page of the site is open while its storage is cleared
        driver.execute_cdp_cmd("Storage.clearDataForOrigin", {
            "origin": "{0.scheme}://{0.netloc}".format(urlsplit(site_server)),
            "storageTypes": "local_storage"})
        recorder = driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument",
                                          {"source": _RECORD_FRAMES})["identifier"]
        driver.execute_cdp_cmd("Network.emulateNetworkConditions", _SLOW_NETWORK)
        driver.execute_cdp_cmd("Emulation.setCPUThrottlingRate", {"rate": 4})
        driver.get(site_server + "multi-input/")
        wait_until_settled(driver, timeout=60)
        frames = driver.execute_script("return window.gdFrames")
    finally:
        driver.execute_cdp_cmd("Emulation.setCPUThrottlingRate", {"rate": 1})
        driver.execute_cdp_cmd("Network.emulateNetworkConditions", _FAST_NETWORK)
        if recorder:
            driver.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument",
                                   {"identifier": recorder})
        follow_system(driver, None)
    assert any(not bundle_ran for _, bundle_ran in frames), f"no frame before the bundle: {frames}"
    assert {scheme for scheme, _ in frames} == {SCHEMES[palette]}, frames


@pytest.mark.parametrize("title,url", PAGES, ids=PAGE_IDS)
@pytest.mark.parametrize("palette", list(SCHEMES))
def test_phone(driver, site_server, screenshot, palette, title, url):
    """390 px wide: no horizontal scrolling, figure text ≥ 9 px, no accessibility violation."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True})
    try:
        open_page(driver, site_server + url, SCHEMES[palette])
        shifted = load_shift_problems(driver, url)
        scroll_through(driver)
        sizes = driver.execute_script(
            "return [document.documentElement.scrollWidth, window.innerWidth]")
        screenshot(f"{page_id(url)}.phone-{palette}.png",
                   lambda path: (when_still(driver), driver.save_screenshot(str(path))))
        problems = shifted
        if sizes[0] > sizes[1]:
            culprits = driver.execute_script(
                "return Array.from(document.querySelectorAll('body *'))"
                ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)"
                ".slice(0, 5).map(e => e.tagName + '.' + e.className)")
            problems.append(f"scrollWidth {sizes[0]} > innerWidth {sizes[1]}; wide: {culprits}")
        problems += figure_problems(driver, url, smallest=9)
        problems += preload_problems(driver, url)
        problems += [f"axe: {v}" for v in axe_violations(driver)]
        assert problems == [], "\n".join(problems)
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_math_is_rendered_by_katex(driver, site_server, built_site):
    with_math = [url for _, url in PAGES
                 if 'class="arithmatex"' in (built_site / url / "index.html").read_text(encoding="utf-8")]
    if not with_math:
        pytest.skip("no page of the page tree contains math yet")
    driver.get(site_server + with_math[0])
    wait_until_settled(driver)
    result = driver.execute_script("""
        const math = Array.from(document.querySelectorAll('article .arithmatex'));
        const raw = math.filter(el => {
            const copy = el.cloneNode(true);
            copy.querySelectorAll('.katex').forEach(k => k.remove());
            return /\\\\\\(|\\\\\\[|\\$/.test(copy.textContent);
        });
        return {math: math.length,
                rendered: math.filter(el => el.querySelector('.katex')).length,
                raw: raw.map(el => el.textContent.slice(0, 60)),
                errors: document.querySelectorAll('.katex-error').length};
    """)
    assert result["math"] > 0
    assert result["rendered"] == result["math"], result
    assert result["raw"] == [] and result["errors"] == 0, result


@pytest.mark.parametrize("query", ["梯度下降", "权重"])
def test_chinese_search_finds_the_page(driver, site_server, query):
    # The pages whose title contains the query must be among the results.
    expected = {url for title, url in PAGES if query in title}
    assert expected, f"no page title contains {query}: update the test's queries"
    driver.get(site_server)
    wait_until_settled(driver)
    driver.find_element(By.CSS_SELECTOR, "label.md-search__icon, label[for=__search]").click() \
        if not driver.find_element(By.CSS_SELECTOR, "input.md-search__input").is_displayed() else None
    box = driver.find_element(By.CSS_SELECTOR, "input.md-search__input")
    box.click()
    box.send_keys(query)

    base = urlsplit(site_server).path
    wanted = {base + url for url in expected}

    def found(d):
        # Results re-render as the query is typed: read them until the expected page is listed.
        links = d.find_elements(By.CSS_SELECTOR, ".md-search-result__item a.md-search-result__link")
        hrefs = {urlsplit(a.get_attribute("href")).path for a in links}
        return hrefs if wanted & hrefs else False

    try:
        wait(driver, 10, ignored_exceptions=(StaleElementReferenceException,)).until(found)
    except TimeoutException:
        pytest.fail(f"searching {query!r} did not list {sorted(wanted)}")
    assert console_errors(driver) == []


def test_unknown_address_gets_the_chinese_404_page(driver, site_server):
    driver.get(site_server + "no-such-page/")
    wait_until_settled(driver)
    assert "没有找到" in driver.find_element(By.CSS_SELECTOR, "article h1").text
    links = {a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "article a")}
    assert site_server + PAGES[1][1] in links
    assert render_wait_problems(driver, "404") + parser_script_problems(driver, "404") == []


# -- figure text size: rendered img width × min_text_pt / width_pt, from figures.json -----

@functools.cache
def _manifest_sizes():
    """{file: (smallest text in pt, figure width in pt)} from docs/figures/figures.json."""
    manifest = ROOT / "docs" / "figures" / "figures.json"
    sizes = {}
    for entry in json.loads(manifest.read_text(encoding="utf-8"))["figures"]:
        for name in entry["files"].values():
            sizes[name] = (entry["min_text_pt"][name], entry["width_pt"][name])
    return sizes


def figure_problems(driver, url, smallest):
    """The shown figures of the page in the driver (scrolled through): each one's smallest
    text, as rendered, is ≥ `smallest` CSS px (rendered width × min_text_pt / width_pt: the
    <img> carries width and height, so no download is needed to know its box), and each is
    inside a link to its own full-size file (currentSrc: the file the <picture> chose)."""
    problems = []
    shown = driver.execute_script(
        "return Array.from(document.querySelectorAll('article img[src*=\"/figures/\"]'))"
        ".filter(i => i.getClientRects().length)"
        ".map(i => [i.currentSrc || i.src, i.getBoundingClientRect().width,"
        "           i.closest('a') && i.closest('a').href])")
    for src, rendered, href in shown:
        name = urlsplit(src).path.rsplit("/", 1)[1]
        min_pt, width_pt = _manifest_sizes()[name]
        if rendered * min_pt / width_pt < smallest:
            problems.append(f"{page_id(url)}: {name} text {rendered * min_pt / width_pt:.1f} px "
                            f"< {smallest}")
        if not href or href != src.split("#")[0].replace(".narrow.", "."):
            problems.append(f"{page_id(url)}: {name} does not open full size (link {href})")
    return problems


CLS_LIMIT = 0.02          # issue 13: Lighthouse's CLS goal, here for a load with no scrolling


def load_shift_problems(driver, url):
    """The layout shifts of the page's load (before any scrolling or input) add up to at most
    CLS_LIMIT. The cache is off (open_page), so fonts and figures arrive as on a first visit:
    a web font that lands after the first paint, or a block that grows, shows up here."""
    shifts = driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        const shifts = [];
        new PerformanceObserver(list => shifts.push(...list.getEntries()))
            .observe({type: 'layout-shift', buffered: true});     // delivered in a task
        setTimeout(() => done(shifts.filter(e => !e.hadRecentInput)
            .map(e => [e.value, e.sources.map(s => s.node ? s.node.nodeName + '.' +
                       (s.node.className || '') : '?').join(' ')])), 50);""")
    total = sum(value for value, _ in shifts)
    return [f"{page_id(url)}: layout shifts at load add up to {total:.3f} > {CLS_LIMIT}: {shifts}"] \
        if total > CLS_LIMIT else []


def preload_problems(driver, url):
    """A page whose first figure comes before its first <h2> preloads it from <head>: exactly one
    preload's media matches the screen and the system's palette, and it names the file the
    figure's <picture> chose. No other page preloads an image."""
    links, opening, chosen = driver.execute_script("""
        const links = Array.from(document.head.querySelectorAll('link[rel=preload][as=image]'))
            .filter(l => matchMedia(l.media).matches).map(l => l.href);
        const figure = document.querySelector('article .gd-figure');
        const h2 = document.querySelector('article h2');
        const opening = !!figure && (!h2 || !!(figure.compareDocumentPosition(h2)
                                                & Node.DOCUMENT_POSITION_FOLLOWING));
        const img = document.querySelector('article .gd-figure--system img');
        return [links, opening, img && img.currentSrc];""")
    if opening and links != [chosen]:
        return [f"{page_id(url)}: preloaded {links}, the first figure shows {chosen}"]
    if not opening and links:
        return [f"{page_id(url)}: preloads {links} but its first figure is not in its opening"]
    return []


def render_wait_problems(driver, url):
    """The first paint waits for the page's opening (hooks/first_screen.py): the head has one
    <link rel="expect" blocking="render">, naming the article's first <h2> (a page without
    one has none)."""
    targets, first = driver.execute_script("""
        const h2 = document.querySelector('article h2');
        return [Array.from(document.querySelectorAll('link[rel=expect]')).map(l => {
                    const id = decodeURIComponent(new URL(l.href).hash.slice(1));
                    return l.parentNode === document.head && l.getAttribute('blocking') === 'render'
                        && document.getElementById(id) ? id : 'not in <head>, or no #' + id; }),
                h2 && h2.id];""")
    if targets != ([first] if first else []):
        return [f"{page_id(url)}: <link rel=expect> names {targets}, the first <h2> is #{first}"]
    return []


def parser_script_problems(driver, url):
    """No external script is run by the parser (hooks/first_screen.py defers them): each one
    is deferred, async (as every script that a script inserts is) or a module."""
    return [f"{page_id(url)}: script run by the parser, not deferred: {src}"
            for src in driver.execute_script(
                "return Array.from(document.scripts)"
                ".filter(s => s.src && !s.defer && !s.async && s.type !== 'module').map(s => s.src)")]


def test_a_figure_opens_full_size(driver, site_server):
    """The link around a figure (checked on every page above) opens the image itself."""
    open_page(driver, site_server + "multi-input/", SCHEMES["dark"])
    href = driver.execute_script(
        "return Array.from(document.querySelectorAll('article a img[src*=\"/figures/\"]'))"
        ".find(i => i.getClientRects().length).closest('a').href")
    assert ".dark." in href
    driver.get(href)
    assert driver.execute_script("return document.contentType") == "image/svg+xml"
