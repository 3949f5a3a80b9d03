"""Accessibility: axe-core finds no violation on any page of the page tree, in the light and
the dark palette, on a desktop window (1280 px) and on a phone (390 px)."""

from __future__ import annotations

import pytest

from axe import axe_violations
from sitenav import nav_pages, page_id
from test_site_browser import SCHEMES, open_page

pytestmark = pytest.mark.browser

PAGES = nav_pages()
WIDTHS = {"desktop": (1280, False), "phone": (390, True)}


@pytest.fixture(params=list(WIDTHS))
def window(request, driver):
    width, mobile = WIDTHS[request.param]
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": 900, "deviceScaleFactor": 1, "mobile": mobile})
    yield request.param
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


@pytest.mark.parametrize("title,url", PAGES, ids=[page_id(url) for _, url in PAGES])
@pytest.mark.parametrize("palette", list(SCHEMES))
def test_no_axe_violations(driver, site_server, window, palette, title, url):
    open_page(driver, site_server + url, SCHEMES[palette])
    assert axe_violations(driver) == []
