"""MkDocs hook: the "运行" bar's room under every code block that gets one, from the build.

docs/javascripts/gdbook-run.js gives some code blocks a bar of buttons. Added by the script
after the first paint, each bar pushed the text below it down (a layout shift: 0.013 of
dot-products/'s CLS on a phone). So the bar's element is written here, empty, right after
its block; gdbook-run.css gives an empty bar the height of a full one, and the script only
fills it. Which blocks get a bar, and of what kind (`data-run`), is decided here only:

* `doctest`: a `pycon` block with `>>>` examples;
* `command`: a `bash`/`console` block with a `python -m gdbook …` line (read by
  gdbook.pagerun, the reader the runner uses);
* `listing`: a `python` block (an embedded listing, editable in the page); `data-command`:
  the page's first command that runs in the page, which the listing's run ends with.

A block the page's Python cannot run (`gdbook.pagezip.needs_numpy`: NumPy, or a gdbook module
not in the page's zip) gets `data-numpy`, and so does every doctest after one (a page's
examples share one namespace): the script shows why instead of a run button.

Notebook pages get none: their code cells are the notebook's, not gdbook's.
"""

from __future__ import annotations

import html
import re

from gdbook.pagerun import command_lines
from gdbook.pagezip import needs_numpy

# pymdownx.highlight's block: <div class="language-X highlight">[<span class="filename">…]<pre>…</pre></div>
_BLOCK = re.compile(r'<div class="language-([\w-]+) highlight"[^>]*>.*?</pre></div>', re.S)
_TAG = re.compile(r"<[^>]+>")


def run_kind(language: str, code: str) -> str | None:
    """The kind of run a block gets in the page, or None.

    >>> run_kind("pycon", ">>> 1 + 1\\n2"), run_kind("bash", "python -m gdbook list")
    ('doctest', 'command')
    >>> run_kind("python", "x = 1"), run_kind("bash", "pip install -e ."), run_kind("text", "")
    ('listing', None, None)
    """
    if language == "pycon":
        return "doctest" if ">>> " in code else None
    if language in ("bash", "console"):
        try:
            return "command" if command_lines(code) else None
        except ValueError:      # shlex: an unclosed quote in a shell example is not a command
            return None
    return "listing" if language == "python" else None


def with_bars(page_html: str) -> str:
    """`page_html` with an empty `<div class="gdbook-run-bar" data-run=KIND …>` after each
    code block that runs in the page.

    >>> with_bars('<div class="language-pycon highlight"><pre><code>&gt;&gt;&gt; 1</code></pre></div>')
    '<div class="language-pycon highlight"><pre><code>&gt;&gt;&gt; 1</code></pre></div>\\n<div class="gdbook-run-bar" data-run="doctest"></div>'
    >>> print(with_bars('<div class="language-pycon highlight"><pre><code>&gt;&gt;&gt; import numpy</code></pre></div>'
    ...                 '<div class="language-pycon highlight"><pre><code>&gt;&gt;&gt; 1</code></pre></div>'))
    <div class="language-pycon highlight"><pre><code>&gt;&gt;&gt; import numpy</code></pre></div>
    <div class="gdbook-run-bar" data-run="doctest" data-numpy></div><div class="language-pycon highlight"><pre><code>&gt;&gt;&gt; 1</code></pre></div>
    <div class="gdbook-run-bar" data-run="doctest" data-numpy></div>
    """
    blocks = [(m, html.unescape(_TAG.sub("", m.group(0)))) for m in _BLOCK.finditer(page_html)]
    kinds = [run_kind(m.group(1), code) for m, code in blocks]
    command = next((line for (m, code), kind in zip(blocks, kinds) if kind == "command"
                    for line in command_lines(code) if not needs_numpy(line)), None)
    out, end, numpy_above = [], 0, False
    for (match, code), kind in zip(blocks, kinds):
        if kind is None:
            continue
        numpy = needs_numpy(code)
        if kind == "doctest":
            numpy = numpy_above = numpy_above or numpy
        attributes = f' data-run="{kind}"' + (" data-numpy" if numpy else "")
        if kind == "listing" and command:
            attributes += f' data-command="{html.escape(command)}"'
        out += [page_html[end:match.end()], f'\n<div class="gdbook-run-bar"{attributes}></div>']
        end = match.end()
    return "".join(out) + page_html[end:]


def on_page_content(html: str, *, page, config, files) -> str:
    if page.file.src_uri.endswith(".ipynb"):
        return html
    return with_bars(html)
