"""What the browser logged for the page the driver shows: console errors, requests."""

from __future__ import annotations

import json


def console_errors(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def requested_urls(driver) -> list[str]:
    """Every URL the page asked for since the performance log was last read."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


# What the page's Python downloads (Pyodide, its worker, gdbook's zip): on a click only.
PYTHON_FILES = ("assets/vendor/pyodide/", "gdbook-run-worker", "gdbook-py.zip")


def python_downloads(urls) -> list[str]:
    return [u for u in urls if any(part in u for part in PYTHON_FILES)]
