"""MkDocs hook: which blocks the browser may skip while they are off screen, and their size.

extra.css gives the heavy blocks (code, displayed formulas, content tabs, collapsed notes)
`content-visibility: auto`: the browser skips their style and layout until they come near
the screen, and meanwhile gives them the height of `contain-intrinsic-size`.

* **Which blocks.** Those after the page's first `<h2>`: the opening is on the first screen,
  and chromium decides that a block is on screen only one frame after the first paint, so a
  block there is first painted at its placeholder height and then grows, pushing the text
  below it down (dot-products/: CLS 0.129 on a phone). The hook marks them with the class
  `gd-lazy`. A CSS rule for "after the first h2" needs a sibling combinator
  (`h2 ~ * .highlight`), and with it every element Material's JavaScript inserts or
  replaces at load (it wraps each table) made chromium restyle the whole article: on
  multi-input/ about 1900 elements, several times over (Lighthouse mobile TBT ~390 → ~230 ms).
* **Paragraphs with inline math** are heavy too (KaTeX writes a dozen nested spans per
  symbol, plus MathML): those after the page's first section (its second `<h2>`), which a
  phone's first screen does not reach. multi-input/, Lighthouse mobile, 6 runs each: median
  TBT 269 → 172 ms. Marked from the first `<h2>` on, weight-images/ shifted by 0.028 on a
  phone's first screen, where a paragraph's height is no placeholder's guess.
* **How tall.** A code block's height is its number of lines times the line height plus
  fixed padding, so the hook writes the line count as `--gd-lines` on the block and the CSS
  computes the height. A fixed guess made every block that came on screen grow or shrink,
  moving the text below it (weight-images/: 39 px on a phone). pymdownx.highlight ends every
  line of a block, the last one too, with a newline.

The class is added in `on_post_page`, with this hook registered after katex.py and a11y.py:
they find the formulas by the opening tag arithmatex writes (`<div class="arithmatex">`), and
a formula marked before them stayed TeX source. The line counts are written earlier, in
`on_page_content`, while a code block's `<code>` has no attribute yet.

Tried and left out: admonitions. With them (and the paragraphs from the first `<h2>` on),
Lighthouse's colour-contrast audit failed on five pages in light mode; the paragraphs alone
pass it on every page.
"""

from __future__ import annotations

import re

# The block's opening tag may already carry attributes another hook added (it keeps them).
_CODE = re.compile(r'<div class="(language-[\w-]+ highlight)"([^>]*)>(.*?<code>(.*?)</code></pre></div>)', re.S)
_OPENING = re.compile(r'<(div|details)(?: class="([^"]*)")?')
_HEAVY = {"highlight", "arithmatex", "tabbed-set"}
_MATH_PARAGRAPH = re.compile(r'<p>(?=(?:(?!</p>).)*?<span class="arithmatex")', re.S)


def with_line_counts(page_html: str) -> str:
    """`page_html` with `style="--gd-lines: N"` on every code block of N lines.

    >>> with_line_counts('<div class="language-python highlight"><pre><code>'
    ...                  '<span class="n">x</span> = 1\\ny = 2\\n</code></pre></div>')[:66]
    '<div class="language-python highlight" style="--gd-lines: 2"><pre>'
    """
    def count(match: re.Match) -> str:
        lines = match.group(4).count("\n")
        return f'<div class="{match.group(1)}" style="--gd-lines: {lines}"{match.group(2)}>{match.group(3)}'

    return _CODE.sub(count, page_html)


def with_lazy_blocks(page_html: str) -> str:
    """`page_html` with the class `gd-lazy` on every heavy block after the first `<h2>`, and on
    every paragraph with inline math after the second.

    >>> with_lazy_blocks('<div class="arithmatex">a</div><h2>B</h2><p>c</p>'
    ...                  '<div class="arithmatex">d</div><details><div>e</div></details>')
    '<div class="arithmatex">a</div><h2>B</h2><p>c</p><div class="arithmatex gd-lazy">d</div><details class="gd-lazy"><div>e</div></details>'
    >>> with_lazy_blocks('<h2>A</h2><p>x <span class="arithmatex">y</span></p>'
    ...                  '<h2>B</h2><p>z</p><p>so <span class="arithmatex">y</span></p>')
    '<h2>A</h2><p>x <span class="arithmatex">y</span></p><h2>B</h2><p>z</p><p class="gd-lazy">so <span class="arithmatex">y</span></p>'
    """
    def mark(match: re.Match) -> str:
        tag, classes = match.group(1), (match.group(2) or "").split()
        if tag == "details" or _HEAVY.intersection(classes):
            return f'<{tag} class="{" ".join([*classes, "gd-lazy"])}"'
        return match.group(0)

    opening = page_html.find("<h2", max(page_html.find("<article"), 0))
    if opening < 0:
        return page_html
    rest = _OPENING.sub(mark, page_html[opening:])
    second = rest.find("<h2", 1)
    if second > 0:
        rest = rest[:second] + _MATH_PARAGRAPH.sub('<p class="gd-lazy">', rest[second:])
    return page_html[:opening] + rest


def on_page_content(html: str, *, page, config, files) -> str:
    return with_line_counts(html)


def on_post_page(output: str, *, page, config) -> str:
    return with_lazy_blocks(output)
