"""The one way the browser tests wait for the page: Selenium's WebDriverWait, polling every
50 ms instead of its default 0.5 s, which added up to half a second to every wait; and a click
the way a reader makes one, on a button that has stopped moving."""

from __future__ import annotations

from selenium.webdriver.support.ui import WebDriverWait

POLL = 0.05       # seconds


def wait(driver, timeout, **kwargs) -> WebDriverWait:
    return WebDriverWait(driver, timeout, poll_frequency=POLL, **kwargs)


# Scroll the element to the middle of the window, then wait two frames: the blocks that came
# near the screen are laid out at their real height (content-visibility, hooks/offscreen_blocks.py)
# and the button is where it will stay. Selenium's own click scrolls and clicks in one go, and
# then the point it computed can belong to whatever moved there.
_BRING_INTO_VIEW = """
const [element, done] = arguments;
element.scrollIntoView({block: 'center'});
requestAnimationFrame(() => requestAnimationFrame(() => done()));
"""


def click_when_still(driver, element) -> None:
    """Click `element` as a reader does: once it is on screen and still."""
    driver.execute_async_script(_BRING_INTO_VIEW, element)
    element.click()
