"""MkDocs hook: keyboard access to the regions of a page that scroll sideways.

A code block (`pre > code`, which Material lets scroll) or a displayed formula
(`div.arithmatex`, which extra.css lets scroll) may be wider than the column, and a region
that scrolls must be reachable with the keyboard (axe-core: scrollable-region-focusable).
Every such element gets tabindex="0" here, at build time, instead of measuring overflow in
the browser (a forced layout on every page load). The markup matched is what
pymdownx.highlight and pymdownx.arithmatex write; an element that already has a tabindex is
left alone. (mkdocs-material's JavaScript rebuilds each code block's <code> without it:
docs/javascripts/a11y.js sets it again there; the formulas keep theirs.)
"""

from __future__ import annotations

import re

_CODE = re.compile(r'(<pre(?: [^>]*)?>(?:<span></span>)?)<code(?![^>]*\btabindex=)(?=[ >])')
_MATH = re.compile(r'<div class="arithmatex"(?![^>]*\btabindex=)')


def focusable(html: str) -> str:
    """`html` with tabindex="0" on every code block's <code> and every displayed formula.

    >>> focusable('<pre><span></span><code>x = 1</code></pre><div class="arithmatex">y</div>')
    '<pre><span></span><code tabindex="0">x = 1</code></pre><div class="arithmatex" tabindex="0">y</div>'
    """
    html = _CODE.sub(r'\1<code tabindex="0"', html)
    return _MATH.sub('<div class="arithmatex" tabindex="0"', html)


def on_post_page(output: str, *, page, config) -> str:
    return focusable(output)
