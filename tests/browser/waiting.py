"""The one way the browser tests wait for the page: Selenium's WebDriverWait, polling every
50 ms instead of its default 0.5 s, which added up to half a second to every wait."""

from __future__ import annotations

from selenium.webdriver.support.ui import WebDriverWait

POLL = 0.05       # seconds


def wait(driver, timeout, **kwargs) -> WebDriverWait:
    return WebDriverWait(driver, timeout, poll_frequency=POLL, **kwargs)
