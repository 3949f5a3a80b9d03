"""The "try it in the page" panels (docs/javascripts/gdbook-lab.js) print what the CLI prints.

The fixture page tests/browser/lab_fixture.html (one panel per listing) is served from the
repository root on 127.0.0.1; each panel is driven through its own fields and buttons, and
its ``<pre>`` is compared character for character with the output of the very command the
panel shows (``python -m gdbook run …``), its numbers with ``--json``, and its divergence
explanation with the CLI's. The ``driver`` (headless chromium) and ``screenshots`` fixtures
come from tests/browser/conftest.py.
"""

from __future__ import annotations

import dataclasses
import functools
import http.server
import json
import shlex
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from gdbook.listings import format_run, run_listing

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = "tests/browser/lab_fixture.html"
WAIT = 30  # seconds; the longest run here animates for about 4 s


# -- serving the fixture page -----------------------------------------------------------

class _LabHandler(http.server.SimpleHTTPRequestHandler):
    """The repository's docs/ and tests/browser/, plus mkdocs-material's CSS as /_material/."""

    def translate_path(self, path):
        path = path.split("?", 1)[0].split("#", 1)[0]
        if path.startswith("/_material/"):
            try:  # installed with the site extras; the page still works without it
                import material
            except ImportError:
                return str(ROOT / "not-served")
            stem = path[len("/_material/"):].split(".")[0]  # main / palette
            found = sorted((Path(material.__file__).parent / "templates/assets/stylesheets")
                           .glob(f"{stem}.*.min.css"))
            return str(found[0]) if found else str(ROOT / "not-served")
        if not path.startswith(("/docs/", "/tests/browser/")):
            return str(ROOT / "not-served")
        return super().translate_path(path)

    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def lab_url():
    handler = functools.partial(_LabHandler, directory=str(ROOT))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/{FIXTURE}"
    server.shutdown()
    server.server_close()


class Lab:
    """The fixture page in the shared browser, with the panel operations the tests need."""

    def __init__(self, driver, url):
        self.driver, self.url = driver, url

    def open(self, query="", reduced_motion=True):
        # reduced motion: "运行" jumps to the end at once (the animation has its own test)
        self.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [
            {"name": "prefers-reduced-motion", "value": "reduce" if reduced_motion else "no-preference"}]})
        self.driver.get(self.url + query)
        self.wait(lambda d: d.execute_script(
            "return document.querySelectorAll('.gdbook-lab__panel').length") == 5)

    def wait(self, condition, timeout=WAIT):
        from selenium.webdriver.support.ui import WebDriverWait
        return WebDriverWait(self.driver, timeout).until(condition)

    def panel(self, name):
        from selenium.webdriver.common.by import By
        return self.driver.find_element(By.CSS_SELECTOR, f"h2#{name} + .gdbook-lab")

    def part(self, panel, selector):
        from selenium.webdriver.common.by import By
        return panel.find_element(By.CSS_SELECTOR, selector)

    def button(self, panel, text):
        from selenium.webdriver.common.by import By
        return next(b for b in panel.find_elements(By.CSS_SELECTOR, "button") if b.text == text)

    def type(self, field, text):
        from selenium.webdriver.common.keys import Keys
        field.send_keys(Keys.CONTROL, "a")
        field.send_keys(Keys.BACKSPACE)
        field.send_keys(text, Keys.TAB)   # leaving the field commits it ("change")

    def configure(self, panel, alpha=None, iterations=None, frozen=None):
        if alpha is not None:
            self.type(self.part(panel, "input[id$='-alpha']"), str(alpha))
        if iterations is not None:
            self.type(self.part(panel, "input[id$='-iterations']"), str(iterations))
        if frozen is not None:
            for i in range(3):
                box = self.part(panel, f"input[id$='-freeze-{i}']")
                if box.is_selected() != (i in frozen):
                    box.click()

    def text(self, element):
        return element.get_property("textContent")

    def state(self, panel):
        return panel.get_attribute("data-state")

    def run_to_end(self, panel):
        self.button(panel, "运行").click()
        self.wait(lambda d: self.state(panel) == "done")


@pytest.fixture
def lab(driver, lab_url):
    yield Lab(driver, lab_url)
    # the browser is shared with the other browser tests: undo every emulation
    for command, args in [("Emulation.setEmulatedMedia", {"features": []}),
                          ("Emulation.clearDeviceMetricsOverride", {}),
                          ("Network.setBlockedURLs", {"urls": []})]:
        driver.execute_cdp_cmd(command, args)
    driver.set_window_size(1280, 900)


# -- the CLI, the reference -------------------------------------------------------------

def cli(command: str, *extra: str) -> subprocess.CompletedProcess:
    """Run a command shown by a panel (``python -m gdbook run …``) with this Python."""
    argv = shlex.split(command)
    assert argv[:3] == ["python", "-m", "gdbook"], command
    return subprocess.run([sys.executable, *argv[1:], *extra], capture_output=True, text=True,
                          cwd=ROOT, check=False)


def assert_numbers_match(got, expected, where="run"):
    """Same structure; every number equal within 1e-12 (relative for large ones)."""
    if isinstance(expected, dict):
        assert isinstance(got, dict) and set(got) == set(expected), where
        for key in expected:
            assert_numbers_match(got[key], expected[key], f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(got, list) and len(got) == len(expected), where
        for i, (g, e) in enumerate(zip(got, expected)):
            assert_numbers_match(g, e, f"{where}[{i}]")
    elif isinstance(expected, (int, float)) and not isinstance(expected, bool):
        assert isinstance(got, (int, float)), f"{where}: {got!r} is not a number"
        assert abs(got - expected) <= 1e-12 * max(1.0, abs(expected)), f"{where}: {got!r} != {expected!r}"
    else:
        assert got == expected, f"{where}: {got!r} != {expected!r}"


# (listing, alpha, iterations, frozen): None keeps the book's value
CASES = [
    pytest.param("multi-input", None, None, None, id="multi-input-book"),
    pytest.param("freeze-a", None, None, None, id="freeze-a-book"),
    pytest.param("multi-output", None, None, None, id="multi-output-book"),
    pytest.param("multi-in-out", None, None, None, id="multi-in-out-book"),
    pytest.param("multi-input", 0.1, None, None, id="multi-input-alpha-0.1-diverges"),
    pytest.param("multi-input", 0.1, 1000, None, id="multi-input-alpha-0.1-overflows"),
    pytest.param("multi-input", None, None, [1], id="multi-input-freeze-b"),
    pytest.param("freeze-a", None, 20, None, id="freeze-a-20-iterations"),
    pytest.param("freeze-a", 0.02, 200, [0, 2], id="freeze-a-and-c-200-iterations"),
    pytest.param("multi-output", 0.5, 10, [1], id="multi-output-freeze-win"),
    pytest.param("multi-output", 3, 50, None, id="multi-output-alpha-3-converges"),
    pytest.param("multi-output", 5, 20, None, id="multi-output-alpha-5-diverges"),
    pytest.param("multi-in-out", 0.3, 200, [1], id="multi-in-out-overflows"),
    pytest.param("multi-in-out", None, 30, [0, 2], id="multi-in-out-freeze-toes-nfans"),
    # 1000 steps where libm pow() and d * d differ in the last digit for 8 errors: Python and
    # the page both square with d * d, so they agree everywhere.
    pytest.param("freeze-a", 0.05, 1000, [0, 2], id="square-by-multiplication"),
]


@pytest.mark.parametrize("name, alpha, iterations, frozen", CASES)
def test_panel_prints_what_the_cli_prints(lab, name, alpha, iterations, frozen):
    lab.open()
    panel = lab.panel(name)
    lab.configure(panel, alpha, iterations, frozen)
    command = lab.text(lab.part(panel, ".gdbook-lab__print code"))
    assert f" {name} " in command or (name == "freeze-a" and frozen == [])
    if alpha is not None:
        assert f"--alpha {alpha}" in command
    if frozen:
        assert "--freeze" in command

    # after one step: the first block of the printout, as format_run prints it
    lab.button(panel, "单步").click()
    book = run_listing(name, alpha, iterations, frozen)
    pre = lab.part(panel, "pre")
    assert lab.text(pre) == format_run(dataclasses.replace(book, steps=book.steps[:1]))

    lab.run_to_end(panel)
    plain, as_json = cli(command), cli(command, "--json")
    assert plain.returncode in (0, 1), plain.stderr
    assert lab.text(pre) == plain.stdout

    expected = json.loads(as_json.stdout)
    got = lab.driver.execute_script("return arguments[0].gdbookLab.toDict()", panel)
    assert_numbers_match(got, expected)
    # the frozen weight_delta is Python's int 0 in the printout (checked above) and the JSON
    box = lab.part(panel, ".gdbook-lab__diverged")
    if expected["diverged"]:
        assert box.is_displayed()
        assert lab.text(lab.part(box, ".gdbook-lab__explain")) == plain.stderr.rstrip("\n")
    else:
        assert not box.is_displayed() and plain.stderr == ""


def test_divergence_is_explained_as_the_cli_explains_it(lab):
    lab.open()
    panel = lab.panel("multi-input")
    lab.configure(panel, alpha=0.1)
    box = lab.part(panel, ".gdbook-lab__diverged")
    lab.button(panel, "单步").click()
    assert not box.is_displayed()           # one error, nothing to compare yet
    lab.button(panel, "单步").click()
    assert box.is_displayed()               # the error grew at iteration 2
    assert box.get_attribute("role") == "alert"
    text = lab.text(lab.part(box, ".gdbook-lab__explain"))
    expected = cli(lab.text(lab.part(panel, ".gdbook-lab__print code"))).stderr
    assert text == expected.rstrip("\n")
    assert text.startswith("从第 2 次迭代起误差越来越大：学习发散了。")
    assert "alpha 超过 0.02699" in text and "当前 alpha = 0.1。" in text

    # overflow: the run stops, the status says so, the explanation gains the overflow sentence
    lab.configure(panel, iterations=1000)
    lab.run_to_end(panel)
    text = lab.text(lab.part(box, ".gdbook-lab__explain"))
    assert "数字溢出成了无穷大，训练已停止。" in text
    assert "溢出" in lab.text(lab.part(panel, ".gdbook-lab__status"))

    # the suggestion button applies the suggested alpha, which converges
    lab.button(panel, "改用建议的 alpha = 0.01").click()
    assert lab.part(panel, "input[id$='-alpha']").get_property("value") == "0.01"
    lab.run_to_end(panel)
    assert not box.is_displayed()


@pytest.mark.parametrize("field, text, message", [
    ("alpha", "abc", "不是一个数"),
    ("alpha", "0", "必须大于 0"),
    ("alpha", "-0.1", "必须大于 0"),
    ("alpha", "nan", "不能是 NaN 或无穷大"),
    ("alpha", "inf", "不能是 NaN 或无穷大"),
    ("alpha", "1e999", "超出了浮点数能表示的范围"),
    ("alpha", "0x10", "不是一个数"),
    ("alpha", "", "请填写学习率"),
    ("iterations", "2.5", "不是正整数"),
    ("iterations", "abc", "不是正整数"),
    ("iterations", "0", "至少要迭代 1 次"),
    ("iterations", "100000", "网页里最多迭代 1000 次"),
    ("iterations", "1e3", "不是正整数"),
])
def test_bad_values_are_refused_next_to_the_field(lab, field, text, message):
    lab.open()
    panel = lab.panel("multi-input")
    lab.button(panel, "单步").click()
    before = lab.text(lab.part(panel, "pre"))
    box = lab.part(panel, f"input[id$='-{field}']")
    lab.type(box, text)
    note = lab.part(panel, f"#{box.get_attribute('aria-describedby')}")
    assert message in lab.text(note)
    assert note.get_attribute("aria-live") == "polite"
    assert box.get_attribute("aria-invalid") == "true"
    assert not lab.button(panel, "单步").is_enabled() and not lab.button(panel, "运行").is_enabled()
    assert lab.text(lab.part(panel, "pre")) == before      # the last valid run stays on show

    # a good value (typed with full-width characters, as a Chinese IME may) clears it all
    lab.type(box, "０．０１" if field == "alpha" else "５")
    assert lab.text(note) == "" and box.get_attribute("aria-invalid") is None
    assert lab.button(panel, "单步").is_enabled()


def test_author_attributes_override_the_book(lab):
    lab.open()
    panel = lab.driver.find_element("id", "custom")
    assert lab.part(panel, "input[id$='-alpha']").get_property("value") == "0.1"
    assert lab.part(panel, "input[id$='-iterations']").get_property("value") == "20"
    assert [lab.part(panel, f"input[id$='-freeze-{i}']").is_selected() for i in range(3)] == [False, True, False]
    command = lab.text(lab.part(panel, ".gdbook-lab__print code"))
    assert command == "python -m gdbook run multi-input --alpha 0.1 --iterations 20 --freeze b"
    lab.run_to_end(panel)
    assert lab.text(lab.part(panel, "pre")) == cli(command).stdout


def test_run_animates_and_can_be_paused(lab):
    lab.open(reduced_motion=False)
    panel = lab.panel("freeze-a")
    lab.configure(panel, iterations=100)
    run = lab.button(panel, "运行")
    run.click()
    lab.wait(lambda d: lab.state(panel) == "running")
    assert run.text == "暂停"
    run.click()
    assert lab.state(panel) == "paused" and run.text == "运行"
    steps = lab.text(lab.part(panel, "pre")).count("Iteration:")
    assert 0 < steps < 100
    lab.run_to_end(panel)
    assert lab.text(lab.part(panel, "pre")).count("Iteration:") == 100
    assert lab.driver.switch_to.active_element == lab.button(panel, "重置")  # focus not lost
    lab.button(panel, "重置").click()
    assert lab.text(lab.part(panel, "pre")) == "" and lab.state(panel) == "ready"


def test_keyboard_only(lab):
    from selenium.webdriver.common.keys import Keys

    lab.open()
    panel = lab.panel("multi-output")
    controls = lab.driver.execute_script("""
        return [...arguments[0].querySelectorAll('input, button')]
          .filter(el => el.getClientRects().length)      // on screen (not in a hidden box)
          .map(el =>
            (el.labels && el.labels.length ? el.labels[0].textContent : '') ||
            el.getAttribute('aria-label') || (el.tagName === 'BUTTON' ? el.textContent : ''));
    """, panel)
    assert all(name.strip() for name in controls), controls   # every control has a name
    field = lab.part(panel, "input[id$='-alpha']")
    field.click()
    active = lab.driver.switch_to.active_element
    for _ in range(12):                    # Tab from alpha reaches the step button
        if active.text == "单步":
            break
        active.send_keys(Keys.TAB)
        active = lab.driver.switch_to.active_element
    assert active.text == "单步"
    active.send_keys(Keys.SPACE)
    assert lab.state(panel) == "done"      # multi-output has one iteration
    assert lab.text(lab.part(panel, "pre")).startswith("Weights:[0.293825, 0.25655, 0.868475]")


def test_no_horizontal_scroll_at_390px(lab):
    lab.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True})
    lab.open()
    for name in ("multi-input", "multi-in-out"):
        panel = lab.panel(name)
        lab.configure(panel, iterations=5)
        lab.button(panel, "单步").click()
    lab.configure(lab.panel("multi-output"), alpha="abc")   # a long message too
    widths = lab.driver.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], widths
    overflowing = lab.driver.execute_script("""
        return [...document.querySelectorAll('.gdbook-lab *')].filter(el =>
            el.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
          .map(el => el.className.baseVal ?? el.className);
    """)
    assert overflowing == []


def test_without_javascript_the_placeholders_stay_empty(lab):
    lab.driver.execute_cdp_cmd("Network.enable", {})
    lab.driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*gdbook-lab.js"]})
    lab.driver.get(lab.url)
    sizes = lab.driver.execute_script("""
        return [...document.querySelectorAll('.gdbook-lab')].map(el =>
            [el.childElementCount, el.getBoundingClientRect().height]);
    """)
    assert sizes == [[0, 0]] * 5


def test_instant_navigation_mounts_new_panels_once(lab):
    lab.open("?instant")
    driver = lab.driver
    # navigate: the article is replaced, scripts are not run again, document$ emits
    driver.execute_script("""
        document.querySelector('article').innerHTML =
            '<h2 id="multi-output">第 3 节</h2><div class="gdbook-lab" data-listing="multi-output"></div>';
        document$.next();
        document$.next();
    """)
    assert driver.execute_script("return document.querySelectorAll('.gdbook-lab__panel').length") == 1
    panel = lab.panel("multi-output")
    lab.button(panel, "单步").click()
    assert lab.text(lab.part(panel, "pre")) == cli("python -m gdbook run multi-output").stdout


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_screenshots_mid_run(lab, screenshots, scheme):
    """Panels after a few steps, light and dark, desktop and phone (for a human to look at)."""
    for width in (1280, 390):
        lab.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                   {"width": width, "height": 2400, "deviceScaleFactor": 1,
                                    "mobile": width < 600})
        lab.open(f"?scheme={scheme}")
        settings = {"multi-input": (0.1, 5, None), "freeze-a": (None, 12, None),
                    "multi-output": (None, 4, None), "multi-in-out": (None, 6, [1])}
        for name, (alpha, iterations, frozen) in settings.items():
            panel = lab.panel(name)
            lab.configure(panel, alpha, iterations, frozen)
            for _ in range(3):
                lab.button(panel, "单步").click()
            lab.driver.execute_script("arguments[0].scrollIntoView()", panel)
            path = screenshots / f"lab-{name}-{scheme}-{width}.png"
            panel.screenshot(str(path))
            assert path.stat().st_size > 0
