"""MkDocs hook: typeset the pages' math at build time, so no page loads math JavaScript.

pymdownx.arithmatex (generic) leaves every formula in the page as TeX source,
`<span class="arithmatex">\\(…\\)</span>` inline and `<div class="arithmatex">\\[…\\]</div>`
displayed. Here the vendored KaTeX (docs/assets/vendor/katex/katex.min.js, the file
scripts/update_katex.sh fetches) runs in QuickJS, an embedded JavaScript engine, and
`katex.renderToString` replaces the source inside each wrapper: the page gets exactly the
markup KaTeX would have made in the browser, HTML for the eye plus MathML for screen readers
(KaTeX's default `htmlAndMathml` output). The browser only needs katex.min.css and its fonts.

* Rendered in `on_post_page`, after the search plugin has indexed the page (`on_page_context`):
  the search index keeps the TeX source, as before, rather than KaTeX's glyph-by-glyph text.
* A formula KaTeX cannot parse is logged as an error naming the page and the formula, which
  fails `mkdocs build --strict`; the formula stays as source on the page.
* Cache: each formula is rendered once per process (the hook module lives as long as
  `mkdocs serve` does) and kept on disk in the gdbook cache directory, keyed by the bytes of
  katex.min.js and the options, so a warm build starts no JavaScript engine at all.
* Notebook pages: nbconvert leaves Markdown math as `$…$` text, which nothing typesets any
  more; a notebook with math in a Markdown cell fails the strict build instead of showing TeX.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import re
import threading
from pathlib import Path

from mkdocs.utils import get_relative_url

log = logging.getLogger("mkdocs.hooks.katex")

ROOT = Path(__file__).resolve().parent.parent
from gdbook.cache import cache_root, write_if_changed  # noqa: E402  (gdbook is installed: make)

KATEX_JS = ROOT / "docs" / "assets" / "vendor" / "katex" / "katex.min.js"
# throwOnError: a TeX mistake must fail the build, not become red text on the page.
OPTIONS = {"throwOnError": True, "output": "htmlAndMathml"}
CACHE_VERSION = 1

# arithmatex's generic output; the TeX inside is HTML-escaped and holds no tag.
MATH = re.compile(r'(<(span|div) class="arithmatex">)(.*?)(</\2>)', re.S)
DELIMITERS = {"span": ("\\(", "\\)"), "div": ("\\[", "\\]")}
# Upright letters, digits and operators; italic variables.
FIRST_SCREEN_FONTS = ("KaTeX_Main-Regular", "KaTeX_Math-Italic")
# Math in a notebook's Markdown cell, as Jupyter writes it.
NOTEBOOK_MATH = re.compile(r"\$[^$\s][^$]*\$|\\\(|\\\[|\\begin\{")


class TexError(ValueError):
    """KaTeX could not parse a formula (its message says where)."""


class Katex:
    """`katex.renderToString` in QuickJS, memoised in memory and on disk."""

    def __init__(self, script: Path = KATEX_JS, cache_dir: Path | None = None):
        self.script = script
        self.cache_dir = cache_dir
        self.memo: dict[str, str] | None = None      # loaded from disk on first use
        self.used: dict[str, str] = {}               # the formulas of the current build
        self._engines = threading.local()            # a QuickJS context is bound to its thread

    def render(self, tex: str, display: bool) -> str:
        """KaTeX's HTML for `tex`; raises TexError if KaTeX cannot parse it."""
        if self.memo is None:
            self.memo = self._load()
        key = ("display:" if display else "inline:") + tex
        out = self.memo.get(key)
        if out is None:
            out = self.memo[key] = self._run(tex, display)
        self.used[key] = out
        return out

    def save(self) -> None:
        """Keep this build's formulas on disk (only if they changed), then start afresh."""
        if self.used and self.cache_dir is not None:
            data = json.dumps(self.used, ensure_ascii=False, sort_keys=True, indent=0)
            try:
                write_if_changed(self._cache_file(), data.encode("utf-8"))
            except OSError as exc:  # a read-only cache only makes the next build slower
                log.debug(f"formula cache not written: {exc}")
        self.used = {}

    def _run(self, tex: str, display: bool) -> str:
        import quickjs

        context = getattr(self._engines, "context", None)
        if context is None:
            context = self._engines.context = quickjs.Context()
            context.eval(self.script.read_text(encoding="utf-8"))
        options = json.dumps(dict(OPTIONS, displayMode=display))
        # The result crosses over as a JSON string: quickjs-ng cannot return every kind of
        # JS string from a function call directly, but the result of eval() always works.
        call = f"JSON.stringify(katex.renderToString({json.dumps(tex)}, {options}))"
        try:
            return json.loads(context.eval(call))
        except quickjs.JSException as exc:
            message = str(exc).partition("\n")[0]
            if message.startswith("ParseError: "):
                raise TexError(message.removeprefix("ParseError: ")) from None
            raise                                    # not the formula's fault: keep the trace

    def _cache_file(self) -> Path:
        key = hashlib.sha256(self.script.read_bytes())
        key.update(f"|{CACHE_VERSION}|{json.dumps(OPTIONS, sort_keys=True)}".encode())
        return self.cache_dir / f"formulas-{key.hexdigest()[:16]}.json"

    def _load(self) -> dict[str, str]:
        if self.cache_dir is None:
            return {}
        try:
            return json.loads(self._cache_file().read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}


def typeset(page_html: str, katex: Katex, where: str) -> str:
    """Replace the TeX source in every arithmatex wrapper of `page_html` by KaTeX's HTML.

    A formula KaTeX rejects is logged as an error (naming `where`) and left as it was."""

    def replace(match: re.Match) -> str:
        opening, tag, source, closing = match.groups()
        tex = html.unescape(source)
        left, right = DELIMITERS[tag]
        if not (tex.startswith(left) and tex.endswith(right)):
            log.warning(f"{where}: arithmatex markup without {left} … {right}: {source[:60]!r}; "
                        "update hooks/katex.py")
            return match.group(0)
        tex = tex[len(left):-len(right)]
        try:
            # In a bare <span>, as KaTeX's auto-render put it in the browser: Material's
            # `div.arithmatex > *` rules then apply to that span, and the spacing stays as it was.
            return f"{opening}<span>{katex.render(tex, display=(tag == 'div'))}</span>{closing}"
        except TexError as exc:
            formula = " ".join(tex.split())          # one line, backslashes as written
            log.error(f"{where}: KaTeX cannot typeset the formula `{formula}`: {exc}")
            return match.group(0)

    return MATH.sub(replace, page_html)


def notebook_math(notebook: Path) -> list[str]:
    """The Markdown cells of `notebook` that contain math (their first 60 characters)."""
    cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    sources = ("".join(c.get("source", "")) for c in cells if c.get("cell_type") == "markdown")
    return [s[:60] for s in sources if NOTEBOOK_MATH.search(s)]


_katex = Katex(cache_dir=cache_root() / "katex")


def math_on_first_screen(page_html: str) -> bool:
    """Whether the page's first formula is inline and likely on its first screen: in the page's
    opening or first section (before the second <h2>), with no figure above it. (The shift
    that the font preload removes moved lines of text with inline formulas; summary/, whose
    first formula is displayed, showed none without it and a later LCP with it.)

    >>> math_on_first_screen('<h1>A</h1><p>b</p><h2>C</h2><p><span class="arithmatex">x</span>')
    True
    >>> math_on_first_screen('<figure class="gd-figure">…</figure><p><span class="arithmatex">x</span>')
    False
    >>> math_on_first_screen('<h2>A</h2><h2>B</h2><p><span class="arithmatex">x</span>'), math_on_first_screen('<p>x</p>')
    (False, False)
    >>> math_on_first_screen('<h2>A</h2><div class="arithmatex">x</div><p><span class="arithmatex">x</span>')
    False
    """
    body = page_html[max(page_html.find("<article"), 0):]
    first = MATH.search(body)
    return (first is not None and first[2] == "span" and body.count("<h2", 0, first.start()) <= 1
            and body.find('class="gd-figure"', 0, first.start()) < 0)


def font_preloads(page_url: str) -> str:
    """<link rel="preload"> for the KaTeX fonts nearly every formula uses, for the page's <head>.

    katex.min.css asks for its fonts with `font-display: block`: the formulas are laid out in
    a fallback font, invisible, and laid out again when KaTeX's font arrives. On errata/ that
    moved the lines around its first formulas on a phone's first screen (CLS 0.022; desktop
    0.018); preloaded, the fonts are there before the first paint (CLS 0, Lighthouse A/B: same
    score and LCP). Only on such pages (`math_on_first_screen`): preloaded on every page, the
    fonts competed with the first figure, and multi-input/'s LCP went from 2.6 s to 3.5 s.

    >>> print(font_preloads("errata/"), end="")
    <link rel="preload" as="font" type="font/woff2" crossorigin href="../assets/vendor/katex/fonts/KaTeX_Main-Regular.woff2">
    <link rel="preload" as="font" type="font/woff2" crossorigin href="../assets/vendor/katex/fonts/KaTeX_Math-Italic.woff2">
    """
    return "".join(
        f'<link rel="preload" as="font" type="font/woff2" crossorigin '
        f'href="{get_relative_url(f"assets/vendor/katex/fonts/{name}.woff2", page_url)}">\n'
        for name in FIRST_SCREEN_FONTS)


def on_page_content(html: str, *, page, config, files) -> str:
    # The head's preloads go through page.meta, as the first figure's do (gdbook plugin):
    # overrides/main.html writes them. Decided on the page's content, before typesetting.
    if math_on_first_screen(html):
        page.meta["gd_head"] = page.meta.get("gd_head", "") + font_preloads(page.url)
    return html


def on_post_page(output: str, *, page, config) -> str:
    if page.file.src_uri.endswith(".ipynb"):
        for cell in notebook_math(Path(page.file.abs_src_path)):
            log.warning(f"{page.file.src_uri}: math in a Markdown cell ({cell!r}) is not "
                        "typeset: the site loads no math JavaScript; move it to a page")
        return output
    return typeset(output, _katex, page.file.src_uri)


def on_post_build(config) -> None:
    _katex.save()
