"""MkDocs hook: keep notebook pages free of the CDN tags mkdocs-jupyter puts in them.

mkdocs-jupyter (0.26) renders a notebook with nbconvert's "lab" template, which adds
  * a MathJax 2 loader plus its `text/x-mathjax-config` block (the loader is
    `<script src="">` with mkdocs-jupyter's default, cdnjs with nbconvert's), and
  * a `<script type="module">` that imports mermaid from cdnjs when the page has a
    mermaid diagram.
The site typesets math at build time with its own vendored KaTeX (hooks/katex.py) and has
no mermaid output, so both are removed. Only these known
blocks are removed, and only on notebook pages: any other external script is left in
place for gdbook/sitecheck.py and the browser tests to report.
"""

from __future__ import annotations

import logging
import re

log = logging.getLogger("mkdocs.hooks.offline")

_CDN = r"https://cdnjs\.cloudflare\.com/ajax/libs/"

# Each pattern matches whole elements of nbconvert's templates.
_PATTERNS = {
    # base/mathjax.html.j2: the loader (from cdnjs, or `<script src="">` when
    # custom_mathjax_url is empty, as mkdocs-jupyter passes it) and its config block
    "MathJax": re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.S),
    # lab/mermaidjs.html.j2: imports mermaid from cdnjs if the page has a diagram
    "mermaid loader": re.compile(
        rf'<script type="module">(?:(?!</script>).)*?{_CDN}mermaid(?:(?!</script>).)*</script>',
        re.S,
    ),
}
_LEFTOVER = re.compile(rf'{_CDN}|<script src="">')


def strip_cdn_tags(html: str) -> tuple[str, list[str]]:
    """Return `html` without the known notebook CDN blocks, and the names of those removed."""
    removed = []
    for name, pattern in _PATTERNS.items():
        html, count = pattern.subn("", html)
        if count:
            removed.append(name)
    return html, removed


def on_post_page(output: str, *, page, config) -> str:
    if not page.file.src_uri.endswith(".ipynb"):
        return output
    output, removed = strip_cdn_tags(output)
    log.debug("%s: removed %s", page.file.src_uri, ", ".join(removed) or "nothing")
    if _LEFTOVER.search(output):
        # mkdocs-jupyter or nbconvert changed their template: fail the strict build.
        log.warning("%s: hooks/offline.py left a CDN or empty script tag in the page; "
                    "update its patterns", page.file.src_uri)
    return output
