"""MkDocs hook: the images a notebook page shows get a Chinese description and their size.

nbconvert writes each output image as `<img src="data:image/png;base64,…">` with neither a
description nor a size: it fills the missing alt with "No description has been provided for
this image", in English, on a Chinese page, and without width/height the page shifts as the
image decodes. This hook, on notebook pages only, gives the images, in order,

* the description the notebook keeps in the metadata of the cell that drew it
  (`"alt": "…"`, written once, beside the code), and
* the width and height read from the PNG's own header.

A picture without a description, or a count that does not match the notebook, is logged as
a warning, which fails the strict build: a new plotting cell must say what it shows.
"""

from __future__ import annotations

import base64
import html as html_lib
import json
import logging
import re
import struct

log = logging.getLogger("mkdocs.hooks.notebook_images")

_IMAGE = re.compile(r'<img alt="[^"]*" (class="[^"]*") src="data:image/png;base64,([^"]+)"\s*/?>')


def descriptions(notebook: dict) -> list[str | None]:
    """The `alt` metadata of every code cell, once per PNG it outputs, in order."""
    return [cell.get("metadata", {}).get("alt")
            for cell in notebook["cells"] if cell["cell_type"] == "code"
            for output in cell.get("outputs", []) if "image/png" in output.get("data", {})]


def png_size(data: str) -> tuple[int, int]:
    """(width, height) in pixels from a base64 PNG's IHDR chunk (the first 24 bytes)."""
    head = base64.b64decode(data[:32])
    return struct.unpack(">II", head[16:24])


def describe(html: str, alts: list[str | None]) -> tuple[str, list[str]]:
    """Return the page's HTML with each image described and sized, and what is wrong."""
    problems = []
    found = _IMAGE.findall(html)
    if len(found) != len(alts):
        problems.append(f"{len(found)} images on the page, {len(alts)} in the notebook")
    texts = iter(alts)

    def replace(match):
        alt = next(texts, None)
        if not alt:
            problems.append("an image whose cell has no \"alt\" in its metadata")
            return match[0]
        width, height = png_size(match[2])
        return (f'<img alt="{html_lib.escape(alt)}" {match[1]} width="{width}" height="{height}" '
                f'src="data:image/png;base64,{match[2]}">')

    return _IMAGE.sub(replace, html), problems


def on_page_content(html: str, *, page, config, files) -> str:
    if not page.file.src_uri.endswith(".ipynb"):
        return html
    with open(page.file.abs_src_path, encoding="utf-8") as f:
        alts = descriptions(json.load(f))
    html, problems = describe(html, alts)
    for problem in problems:
        log.warning("%s: %s (hooks/notebook_images.py)", page.file.src_uri, problem)
    return html
