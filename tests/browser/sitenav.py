"""The page tree and site_url of mkdocs.yml, read for the tests (no MkDocs needed).

The tests are parametrized over the page tree, so a page added to `nav` is tested without
touching the tests.
"""

from __future__ import annotations

import functools
from pathlib import Path
from urllib.parse import urlsplit

import yaml

ROOT = Path(__file__).resolve().parents[2]


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without evaluating its !!python tags (only nav and site_url are used)."""


_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
_ConfigLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


@functools.cache
def mkdocs_config() -> dict:
    with open(ROOT / "mkdocs.yml", encoding="utf-8") as f:
        return yaml.load(f, Loader=_ConfigLoader)


def _flatten(items, section=None):
    for item in items:
        if isinstance(item, str):
            yield section, None, item
            continue
        for title, value in item.items():
            if isinstance(value, list):
                yield from _flatten(value, title)
            else:
                yield section, title, value


def nav_pages() -> list[tuple[str, str]]:
    """(title, URL relative to the site root) of every page in the page tree, in order."""
    pages = []
    for _, title, src in _flatten(mkdocs_config().get("nav") or []):
        if "://" in src:
            continue
        stem = src.rsplit(".", 1)[0]
        url = "" if stem == "index" else (stem[: -len("/index")] if stem.endswith("/index") else stem) + "/"
        pages.append((title or stem, url))
    return pages


def page_id(url: str) -> str:
    return url.strip("/").replace("/", "-") or "index"


def base_path() -> str:
    path = urlsplit(mkdocs_config().get("site_url") or "/").path
    return path if path.endswith("/") else path + "/"
