"""MkDocs hook: notebook pages styled by Material and one small stylesheet of ours.

mkdocs-jupyter (0.26) renders a notebook with nbconvert's "lab" template and puts ~590 KB
of JupyterLab CSS into the page as inline `<style>` blocks: the whole JupyterLab theme
(index.css), its light or dark variables, nbconvert's mermaid CSS, and the notebook's
pygments colours twice (once as CSS, once as a Python list printed into a `<style>`).
Those colours fail WCAG AA contrast and ignore the site's palette. This hook, on notebook
pages only,

* removes exactly those known `<style>` blocks, and links docs/stylesheets/notebook.css,
  written in Material's `--md-*` variables, instead;
* makes every code cell a Material code block (`<pre><code>` inside `.highlight`, a
  class mkdocs-jupyter adds with `highlight_extra_classes`), so it gets Material's code
  colours in both palettes and Material's own copy button (Chinese label, keyboard
  accessible); mkdocs-jupyter's English `<clipboard-copy>` button, its script, and the
  hidden copy of each cell's source (which the search index also read) are removed;
* renames nbconvert's cell ids `cell-id=X` to `cell-X`: Material names each code block
  after the nearest id (`#__code_cell-id=X > code`), and with the `=` its copy button's
  target is not a valid CSS selector, so copying would fail;
* leaves `tabindex="0"` only where the stylesheet lets content scroll (text outputs),
  removing it from cell wrappers and image outputs, which are not interactive.

Every block is matched by its known beginning. If a pattern finds nothing, or a `<style>`
or a clipboard element is left over, mkdocs-jupyter's template has changed: the hook logs a
warning, which fails the strict build.
"""

from __future__ import annotations

import logging
import re

from mkdocs.utils import get_relative_url

log = logging.getLogger("mkdocs.hooks.notebook_style")

STYLESHEET = "stylesheets/notebook.css"


def _block(tag: str, start: str) -> re.Pattern:
    """A whole `<tag …>` element whose text begins with `start` (after whitespace)."""
    return re.compile(rf"<{tag}[^>]*>\s*{start}(?:(?!</{tag}>).)*</{tag}>\n?", re.S)


# What mkdocs-jupyter's mkdocs_html/notebook.html.j2 puts in the page, each expected
# exactly once. Name -> pattern.
PAGE_BLOCKS = {
    # resources.inlining.css, with .highlight renamed .highlight-ipynb
    "pygments CSS": _block("style", r"pre \{ line-height: 125%; \}"),
    # mkdocs_html/assets/index.css: JupyterLab's whole stylesheet (~575 KB)
    "JupyterLab CSS": _block("style", r'@charset "UTF-8";\.jupyter-wrapper\{'),
    # mkdocs_html/assets/theme-light.css or theme-dark.css: JupyterLab's colour variables
    "JupyterLab theme variables": _block("style", r"\.jupyter-wrapper\{--jp-shadow-base-lightness"),
    # nbconvert lab/mermaidjs.html.j2 (its CDN script is removed by the offline hook)
    "mermaid CSS": _block("style", r"\.jp-Mermaid:not\(\.jp-RenderedMermaid\)"),
    # nbconvert2.py appends resources["inlining"]["css"], a Python list, in a <style>
    "pygments CSS as a Python list": _block("style", r"\['pre \{ line-height: 125%; \}"),
    # mkdocs_html/assets/clipboard.umd.js: defines <clipboard-copy>
    "clipboard-copy script": _block("script", r"\(function \(global, factory\)"),
    # shows its "Copied!" notice
    "clipboard-copy listener": _block("script", r"document\.addEventListener\('clipboard-copy'"),
}

# Once per code cell: the button, and the escaped source it copies from.
CELL_BLOCKS = {
    "clipboard-copy button": re.compile(
        r'<div class="zeroclipboard-container">\s*<clipboard-copy\b.*?</clipboard-copy>\s*</div>\n?',
        re.S),
    "clipboard-copy text": re.compile(r'<div class="clipboard-copy-txt" id="cell-\d+">[^<]*</div>\n?'),
}

# Pygments writes `<pre><span></span>…</pre>`; Material styles and mounts `pre > code`.
_CODE = re.compile(r'(<div class="[^"]*\bhighlight\b[^"]*"><pre>)<span></span>(.*?)(</pre></div>)', re.S)
_UNWRAPPED = re.compile(r'<div class="[^"]*\bhighlight\b[^"]*"><pre>(?!<code>)')
_CELL_ID = re.compile(r'id="cell-id=([\w-]+)"')
_NOT_SCROLLING = re.compile(r'(<div class="(?:jp-Cell-inputWrapper|jp-RenderedImage [^"]*)") tabindex="0">')
_LEFTOVER = re.compile(r"<style\b|clipboard-copy")


def restyle(html: str) -> tuple[str, list[str]]:
    """Return the notebook's HTML reworked as above, and what was expected but not found."""
    missing = []
    for name, pattern in PAGE_BLOCKS.items():
        html, count = pattern.subn("", html)
        if count != 1:
            missing.append(f"{name} (found {count}, expected 1)")
    cells = html.count('class="jp-Cell jp-CodeCell')
    for name, pattern in CELL_BLOCKS.items():
        html, count = pattern.subn("", html)
        if cells and not count:
            missing.append(f"{name} (found none in {cells} code cells)")
    html = _CODE.sub(r"\1<code>\2</code>\3", html)
    html = _CELL_ID.sub(r'id="cell-\1"', html)
    html = _NOT_SCROLLING.sub(r"\1>", html)
    if _UNWRAPPED.search(html):
        missing.append("a code cell's <pre><span></span> (left without <code>)")
    if leftover := _LEFTOVER.search(html):
        missing.append(f"nothing left over (found {leftover[0]!r})")
    return html, missing


def on_page_content(html: str, *, page, config, files) -> str:
    # Before search indexes the page, so the index has no CSS, "Copied!" or doubled code.
    if not page.file.src_uri.endswith(".ipynb"):
        return html
    if files.get_file_from_path(STYLESHEET) is None:
        log.warning("%s: docs/%s is missing", page.file.src_uri, STYLESHEET)
    html, missing = restyle(html)
    for what in missing:
        log.warning("%s: hooks/notebook_style.py expected %s; mkdocs-jupyter's template "
                    "changed, update the patterns", page.file.src_uri, what)
    return html


def on_post_page(output: str, *, page, config) -> str:
    if not page.file.src_uri.endswith(".ipynb"):
        return output
    # In <head>, after the theme's and extra_css's links; Material's instant navigation
    # adds and removes head elements that differ between pages, so it comes and goes.
    link = f'<link rel="stylesheet" href="{get_relative_url(STYLESHEET, page.url)}">\n'
    return output.replace("</head>", link + "</head>", 1)
