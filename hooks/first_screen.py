"""MkDocs hook: the first paint waits for the page's opening, and the scripts wait for it.

* **The opening first.** A `<link rel="expect" blocking="render">` in the head names the
  page's first `<h2>` (`render_until_opening`): the browser does not paint until the parser
  has read it, so the first paint has the title, the opening text and the first figure.
  Without it chromium sometimes painted once the parser, out of its time slice, had read only
  the header and the navigation (~930 lines come before the article); Material's bundle
  (~0.4 s on a slow phone) then ran before the next paint, and the first figure came after
  it. Lighthouse mobile A/B on mnist/ (6 runs each): LCP 2.7 → 2.1 s, score 86–97 → 95–99;
  multi-input/ and multi-in-out/ LCP 0.3–0.4 s sooner, the home page unchanged.
* **Then the scripts.** Every external script is `defer` (`deferred_scripts`): Material's
  bundle and ours run once the whole page is parsed, in the order they are written, before
  `DOMContentLoaded`, which is where Material starts anyway (its `document$`). Run by the
  parser at the end of the body instead, the bundle sometimes ran in the same task as the
  page's first layout, ahead of the first paint. multi-input/, Lighthouse mobile, 8 runs
  each: median TBT 212 → 119 ms, lowest score 82 → 96; again after the first visit's
  palette was applied early (overrides/main.html), 5 runs each: median TBT 213 → 124 ms,
  scores 86–97 → 98–99.
"""

from __future__ import annotations

import re

_FIRST_H2 = re.compile(r'<h2 id="([^"]+)"')
_EXTERNAL_SCRIPT = re.compile(r'<script src="([^"]+)"></script>')


def render_until_opening(page_html: str) -> str:
    """The head's link that holds the first paint until the parser has read the page's first
    `<h2>` (the opening above it is then in the DOM); "" for a page without one.

    >>> render_until_opening('<h1 id="a">A</h1><p>b</p><h2 id="c-d">C</h2><h2 id="e">E</h2>')
    '<link rel="expect" href="#c-d" blocking="render">\\n'
    >>> render_until_opening('<h1 id="a">A</h1><p>b</p>')
    ''
    """
    first = _FIRST_H2.search(page_html)
    return f'<link rel="expect" href="#{first[1]}" blocking="render">\n' if first else ""


def deferred_scripts(output: str) -> str:
    """`output` with `defer` on every `<script src>` that has no other attribute.

    >>> deferred_scripts('<script src="a.js"></script><script>b()</script>'
    ...                  '<script src="c.mjs" type="module"></script><script src="d.js" async></script>')
    '<script src="a.js" defer></script><script>b()</script><script src="c.mjs" type="module"></script><script src="d.js" async></script>'
    """
    return _EXTERNAL_SCRIPT.sub(r'<script src="\1" defer></script>', output)


def on_page_content(html: str, *, page, config, files) -> str:
    # overrides/main.html writes page.meta.gd_head into the page's <head>
    page.meta["gd_head"] = page.meta.get("gd_head", "") + render_until_opening(html)
    return html


def on_post_page(output: str, *, page, config) -> str:
    return deferred_scripts(output)


def on_post_template(output_content: str, *, template_name: str, config) -> str:
    return deferred_scripts(output_content)     # 404.html
