"""MkDocs hook: give the headings of notebook pages working Chinese anchors.

mkdocs-jupyter (0.26) renders notebook headings with nbconvert, whose ids keep ASCII
only: `## 结果` becomes `<h2 id="">`, with a ¶ link to "#". Its table of contents comes
from a second, Markdown conversion with Python-Markdown's default slugify, which gives
"_1" for the same heading. Neither matches, so the page's TOC and permalinks lead nowhere
(gdbook/sitecheck.py reports them). This hook renames each heading to the slug the rest
of the site uses (pymdownx.slugs, as configured for `toc` in mkdocs.yml) and points the
TOC entries, which list the same headings in the same order, at them.
"""

from __future__ import annotations

import html as html_lib
import logging
import re

from pymdownx.slugs import slugify

log = logging.getLogger("mkdocs.hooks.notebook_anchors")

_slug = slugify(case="lower")
_HEADING = re.compile(
    r'<h(?P<level>[1-6]) id="(?P<id>[^"]*)">(?P<body>.*?)'
    r'<a class="anchor-link" href="#[^"]*">¶</a></h(?P=level)>', re.S)
_TAG = re.compile(r"<[^>]+>")


def _walk(items):
    for item in items:
        yield item
        yield from _walk(item.children)


def on_page_content(html: str, *, page, config, files) -> str:
    if not page.file.src_uri.endswith(".ipynb"):
        return html
    headings = list(_HEADING.finditer(html))
    toc = list(_walk(page.toc))
    if len(headings) != len(toc):
        log.warning("%s: %d headings but %d TOC entries; anchors left as nbconvert made them",
                    page.file.src_uri, len(headings), len(toc))
        return html

    used: dict[str, int] = {}
    parts, end = [], 0
    for match, item in zip(headings, toc):
        text = html_lib.unescape(_TAG.sub("", match["body"])).strip()
        slug = _slug(text, "-") or f"section-{len(used) + 1}"
        count = used.get(slug, 0)
        used[slug] = count + 1
        anchor = slug if count == 0 else f"{slug}_{count}"
        item.id = anchor
        parts.append(html[end:match.start()])
        parts.append(f'<h{match["level"]} id="{anchor}">{match["body"]}'
                     f'<a class="anchor-link" href="#{anchor}">¶</a></h{match["level"]}>')
        end = match.end()
    parts.append(html[end:])
    return "".join(parts)
