"""The "try it" panel is wired up on the built site.

The arithmetic, printing and explanations of the panel's engine are compared with Python
in tests/test_page_engine.py (Node, no browser). Here one real page shows that the wiring
works: the panel's module waits until the reader nears the panel, the generated chapter data
and the engine load as modules, the fields drive a run, and
the panel's printout, JSON and divergence explanation are what the command it shows prints.
"""
from __future__ import annotations

import shlex
import subprocess
import sys

import pytest

from browserlog import console_errors
from gdbook.listings import command_line
from waiting import click_when_still, wait

pytestmark = pytest.mark.browser

WAIT = 30  # seconds


def test_multi_input_panel_diverges_as_the_cli_does(driver, site_server, screenshot):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    driver.get_log("browser")            # this page's messages only, whatever ran before
    driver.get(site_server + "multi-input/")
    waiter = wait(driver, WAIT)
    waiter.until(lambda d: d.execute_script("return document.readyState === 'complete'"))
    # The panel closes a long page: its module is fetched only as the reader nears it.
    loaded = "return performance.getEntriesByType('resource').some(e => e.name.endsWith('/gdbook-lab.mjs'))"
    assert driver.execute_script(loaded) is False
    driver.execute_script("document.querySelector('div.gdbook-lab').previousElementSibling"
                          ".scrollIntoView()")
    panel = waiter.until(lambda d: d.find_element(By.CSS_SELECTOR, "div.gdbook-lab--mounted"))
    assert driver.execute_script(loaded) is True
    text = lambda selector: panel.find_element(By.CSS_SELECTOR, selector).get_property("textContent")
    assert text(".gdbook-lab__print code") == command_line("multi-input", 0.01, 3, ())

    alpha = panel.find_element(By.CSS_SELECTOR, "input[id$='-alpha']")
    alpha.send_keys(Keys.CONTROL, "a", Keys.BACKSPACE)
    alpha.send_keys("0.1", Keys.TAB)                     # leaving the field applies it
    command = text(".gdbook-lab__print code")
    assert command == command_line("multi-input", 0.1, 3, ())
    click_when_still(driver, next(b for b in panel.find_elements(By.TAG_NAME, "button") if b.text == "运行"))
    waiter.until(lambda d: panel.get_attribute("data-state") == "done")

    argv = [sys.executable, *shlex.split(command)[1:]]
    plain = subprocess.run(argv, capture_output=True, text=True, check=True)
    as_json = subprocess.run(argv + ["--json"], capture_output=True, text=True, check=True)
    assert text("pre") == plain.stdout
    assert driver.execute_script("return arguments[0].gdbookLab.toJson()", panel) + "\n" == as_json.stdout
    box = panel.find_element(By.CSS_SELECTOR, ".gdbook-lab__diverged")
    assert box.is_displayed() and box.get_attribute("role") == "alert"
    assert text(".gdbook-lab__explain") + "\n" == plain.stderr
    assert "--alpha 0.01" in plain.stderr

    assert console_errors(driver) == []
    driver.execute_script("arguments[0].scrollIntoView()", panel)
    screenshot("lab-multi-input-diverged.png", lambda path: panel.screenshot(str(path)))
