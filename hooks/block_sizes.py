"""MkDocs hook: each code block's number of lines, for the height of its placeholder.

extra.css lets the browser skip laying out a code block while it is off screen
(`content-visibility: auto`); meanwhile the block takes the height given by
`contain-intrinsic-size`. A fixed guess there made every block that came on screen grow or
shrink, moving the text below it (weight-images/: 39 px on a phone, a layout shift). A code
block's height is its number of lines times the line height plus fixed padding, so the
hook writes the line count as `--gd-lines` on the block and the CSS computes the height.
pymdownx.highlight ends every line of a block, the last one too, with a newline.
"""

from __future__ import annotations

import re

# The block's opening tag may already carry attributes another hook added (it keeps them).
_BLOCK = re.compile(r'<div class="(language-[\w-]+ highlight)"([^>]*)>(.*?<code>(.*?)</code></pre></div>)', re.S)


def with_line_counts(page_html: str) -> str:
    """`page_html` with `style="--gd-lines: N"` on every code block of N lines.

    >>> with_line_counts('<div class="language-python highlight"><pre><code>'
    ...                  '<span class="n">x</span> = 1\\ny = 2\\n</code></pre></div>')[:66]
    '<div class="language-python highlight" style="--gd-lines: 2"><pre>'
    """
    def count(match: re.Match) -> str:
        lines = match.group(4).count("\n")
        return f'<div class="{match.group(1)}" style="--gd-lines: {lines}"{match.group(2)}>{match.group(3)}'

    return _BLOCK.sub(count, page_html)


def on_page_content(html: str, *, page, config, files) -> str:
    return with_line_counts(html)
