"""The "运行" buttons run gdbook's own code in the page (Pyodide in a worker, self-hosted).

On the built site: nothing of Pyodide is requested before the first click; a command block
prints what `python -m gdbook …` prints in a terminal (stdout, stderr, exit code); every
doctest block of every page passes in the page (or, needing NumPy, says so and is disabled);
an edited listing runs the edited code, as the real CLI does on the edited source, and resets;
an endless loop is stopped with one click; no request leaves the site's host.
"""
from __future__ import annotations

import os
import shlex
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from gdbook import listings, pagerun, pagezip
from browserlog import python_downloads, requested_urls
from conftest import SITE_HOST
from sitenav import nav_pages
from waiting import click_when_still, wait

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
WAIT = 90                     # seconds: the first run downloads and starts Pyodide
SECTIONS = {"multi-input/": "python -m gdbook run multi-input",
            "freeze/": "python -m gdbook run freeze-a",
            "multi-output/": "python -m gdbook run multi-output",
            "multi-in-out/": "python -m gdbook run multi-in-out"}



def open_page(driver, url):
    driver.get_log("performance")
    driver.get(url)
    wait(driver, 30).until(lambda d: d.execute_script(
        "return document.readyState === 'complete' && !!document.querySelector('.gdbook-run')"))


def blocks(driver, language):
    """The page's code blocks of one language that got a run bar, in document order."""
    from selenium.webdriver.common.by import By
    return [b for b in driver.find_elements(By.CSS_SELECTOR, f"article .highlight.language-{language}")
            if b.find_elements(By.XPATH, "following-sibling::*[1][contains(@class, 'gdbook-run-bar')]")]


def run(driver, block, click=True):
    """Click the block's run button and wait for the end; returns (status, text)."""
    from selenium.webdriver.common.by import By
    bar = block.find_element(By.XPATH, "following-sibling::*[1]")
    output = bar.find_element(By.XPATH, "following-sibling::*[1]")
    assert "gdbook-run-output" in output.get_attribute("class")
    if click:
        driver.execute_script("for (let d = arguments[0].closest('details'); d; d = d.parentElement.closest('details'))"
                              " d.open = true;", bar)    # an answer: the reader opens it first
        click_when_still(driver, bar.find_element(By.CSS_SELECTOR, "button.gdbook-run"))
    wait(driver, WAIT).until(
        lambda d: output.get_attribute("data-status") not in (None, "running"))
    return output.get_attribute("data-status"), output.get_property("textContent")


def code_text(block):
    from selenium.webdriver.common.by import By
    return block.find_element(By.CSS_SELECTOR, "pre > code").get_property("textContent")


def terminal(line, package=None):
    """What a terminal shows for `line`, formatted as the page shows a command.

    With `package`, the CLI runs from that folder (an edited copy of gdbook's source)."""
    args = shlex.split(line)[3:]
    if package is None:
        command = [sys.executable, "-m", "gdbook", *args]
    else:
        # -P -S -s: no current directory, no site-packages; PYTHONPATH: only the edited copy
        command = [sys.executable, "-P", "-S", "-s", "-c",
                   "import sys; from gdbook.cli import main; sys.exit(main(sys.argv[1:]))", *args]
    env = None if package is None else {**os.environ, "PYTHONPATH": str(package)}
    result = subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    return pagerun.format_command(line, result.stdout, result.returncode)


def assert_local(urls):
    assert urls
    others = [u for u in urls if urlsplit(u).scheme in ("http", "https") and urlsplit(u).hostname != SITE_HOST]
    assert not others, others


def follow_link(driver, site, url):
    """Go to `url` as a reader does, by its link in the page tree: Material's instant navigation
    swaps the page in without a reload, so the page's scripts (and its Python) live on."""
    link = driver.execute_script(
        "return Array.from(document.querySelectorAll('a.md-nav__link'))"
        ".find(a => a.href === arguments[0])", site + url)
    assert link, f"no link to {url} in the page tree"
    driver.execute_script("document.querySelector('article').dataset.left = 'yes';"
                          "arguments[0].click()", link)          # the drawer may be closed
    wait(driver, 30).until(lambda d: d.execute_script(
        "const article = document.querySelector('article');"   # the new page's, once swapped in
        "return location.href.split('#')[0] === arguments[0] && article && !article.dataset.left"
        " && (!article.querySelector('.highlight') || !!article.querySelector('.gdbook-run-bar'))",
        site + url))


def test_section_pages_run_their_command_and_a_doctest(driver, site_server, served_paths):
    """The four section pages, one after another by their links (one Python for the visit):
    nothing of Pyodide before the first click; each page's command prints what the terminal
    prints, its first >>> block passes as in pytest; multi-input's diverging run explains."""
    first = next(iter(SECTIONS))
    open_page(driver, site_server + first)
    assert_local(requested_urls(driver))
    assert served_paths and not python_downloads(served_paths), "Pyodide requested before a click"
    loaded = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert not python_downloads(loaded), "Pyodide loaded (or cached) before a click"

    for path, line in SECTIONS.items():
        if path != first:
            follow_link(driver, site_server, path)
        command = next(b for b in blocks(driver, "bash") if code_text(b).strip() == line)
        assert run(driver, command) == ("done", terminal(line)), path

        doctests = blocks(driver, "pycon")
        status, text = run(driver, doctests[0])
        assert status == "passed", text
        assert (text, True) == pagerun.run_page_doctest([code_text(doctests[0])])
        assert_local(requested_urls(driver))
        if path == "multi-input/":
            diverging = "python -m gdbook run multi-input --alpha 0.1"
            block = next(b for b in blocks(driver, "bash") if code_text(b).strip() == diverging)
            status, text = run(driver, block)
            assert (status, text) == ("done", terminal(diverging))
            assert listings.DIVERGENCE_TEXT["title"] in text


def test_every_doctest_block_on_every_page_passes_or_says_it_needs_numpy(driver, site_server):
    """Page after page, by the links of the page tree: every >>> block passes in the page, and
    the page's Python (its worker) is started once for the whole visit."""
    from selenium.webdriver.common.by import By
    ran, pages = 0, [url for _, url in nav_pages() if "notebooks/" not in url]  # notebook cells get no run buttons
    open_page(driver, site_server + pages[0])
    # Count the workers the page starts; a full reload would lose the count (and the worker).
    driver.execute_script("window.gdbookWorkers = 0; const Real = window.Worker;"
                          "window.Worker = class extends Real {"
                          "  constructor(...args) { super(...args); window.gdbookWorkers++; } };")
    for url in pages:
        if url != pages[0]:
            follow_link(driver, site_server, url)
        for block in blocks(driver, "pycon"):
            button = block.find_element(By.XPATH, "following-sibling::*[1]//button[contains(@class, 'gdbook-run')]")
            if not button.is_enabled():
                assert "NumPy" in button.get_property("textContent")
                continue
            status, text = run(driver, block)
            assert status == "passed", f"{url}\n{text}"
            ran += 1
        assert_local(requested_urls(driver))
    assert ran >= 20
    assert driver.execute_script("return window.gdbookWorkers") == 1


def _edited_package(tmp_path, original, edited):
    """gdbook's page modules with the reader's edit applied, as the page applies it."""
    import zipfile
    from io import BytesIO
    zipfile.ZipFile(BytesIO(pagezip.page_zip())).extractall(tmp_path)
    sources = {str(p): p.read_text(encoding="utf-8") for p in (tmp_path / "gdbook").glob("*.py")}
    for path, text in pagerun.patch_sources(original, edited, sources).items():
        Path(path).write_text(text, encoding="utf-8")
    return tmp_path


def test_an_edited_listing_runs_resets_and_an_endless_loop_stops(driver, site_server, tmp_path, screenshot):
    from selenium.webdriver.common.by import By
    open_page(driver, site_server + "multi-input/")
    data = next(b for b in blocks(driver, "python") if "toes = [8.5," in code_text(b))
    code = data.find_element(By.CSS_SELECTOR, "pre > code")
    original = code_text(data)
    assert code.get_attribute("contenteditable") in ("plaintext-only", "true")
    edited = original.replace("toes = [8.5,", "toes = [85,")
    driver.execute_script("arguments[0].textContent = arguments[1]", code, edited)
    status, text = run(driver, data)
    line = SECTIONS["multi-input/"]
    assert status == "done"
    assert text == "已换上改过的代码：gdbook/listings.py\n\n" + terminal(line, _edited_package(tmp_path, original, edited))
    assert "输入 toes（值 85）最大" in text
    screenshot("run.edited-listing.png", lambda path: driver.save_screenshot(str(path)))

    click_when_still(driver, data.find_element(By.XPATH, "following-sibling::*[1]//button[contains(@class, 'gdbook-run-reset')]"))
    assert code_text(data) == original
    status, text = run(driver, data)
    assert (status, text) == ("done", "（代码没有改动）\n\n" + terminal(line))

    # an endless loop in the exercise's code: one click stops it, and Python runs again after
    script = next(b for b in blocks(driver, "python") if code_text(b).startswith("from gdbook.rules import"))
    driver.execute_script("arguments[0].querySelector('pre > code').textContent = 'while True:\\n    pass\\n'", script)
    bar = script.find_element(By.XPATH, "following-sibling::*[1]")
    click_when_still(driver, bar.find_element(By.CSS_SELECTOR, "button.gdbook-run"))
    time.sleep(1)                                                             # Python is in the loop
    click_when_still(driver, bar.find_element(By.CSS_SELECTOR, "button.gdbook-run"))     # now "停止"
    status, text = run(driver, script, click=False)
    assert status == "error" and "已停止" in text
    assert driver.execute_script("return 1 + 1") == 2                          # the page answers
    status, _ = run(driver, blocks(driver, "pycon")[0])
    assert status == "passed"


def test_opened_as_a_file_the_button_says_how_to_serve(driver, built_site):
    driver.get((built_site / "multi-input" / "index.html").as_uri())
    wait(driver, 30).until(lambda d: d.execute_script("return !!document.querySelector('.gdbook-run')"))
    status, text = run(driver, blocks(driver, "pycon")[0])
    assert status == "error" and "make serve" in text and "python -m http.server" in text
