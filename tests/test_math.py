"""Math typeset at build time (hooks/katex.py): KaTeX markup in the pages, no math JavaScript.

The hook is tested on its own, in a small MkDocs project of one or two pages (a TeX error,
the formula cache, two builds byte for byte), and on the real site (every formula typeset,
no page loads KaTeX's JavaScript, its stylesheet and fonts are served).
"""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HOOK = ROOT / "hooks" / "katex.py"

from hooks import katex as katex_hook  # noqa: E402


@pytest.fixture(scope="module")
def katex():
    return katex_hook.Katex(cache_dir=None)


# -- the renderer ----------------------------------------------------------------------

def test_a_formula_renders_to_katex_markup_with_mathml(katex):
    tex = r"\Delta w_i = \delta \cdot x_i"
    out = katex.render(tex, display=False)
    assert out.startswith('<span class="katex"><span class="katex-mathml"><math')
    # MathML for screen readers, with the TeX source as its annotation; HTML for the eye
    assert f'<annotation encoding="application/x-tex">{tex}</annotation>' in out
    assert '<span class="katex-html" aria-hidden="true">' in out
    assert "<msub><mi>w</mi><mi>i</mi></msub>" in out
    display = katex.render(tex, display=True)
    assert display.startswith('<span class="katex-display"><span class="katex">')
    assert 'display="block"' in display


def test_a_tex_error_raises_with_katex_message(katex):
    with pytest.raises(katex_hook.TexError, match=r"Undefined control sequence: \\nosuch"):
        katex.render(r"x + \nosuch", display=False)


def test_typeset_replaces_only_arithmatex_source(katex):
    page = ('<p>令 <span class="arithmatex">\\(a &lt; b\\)</span>，则</p>\n'
            '<div class="arithmatex">\\[\n\\sum_i x_i\n\\]</div>\n'
            '<pre><code>\\(not math\\)</code></pre>')
    out = katex_hook.typeset(page, katex, "page.md")
    assert out.startswith('<p>令 <span class="arithmatex"><span><span class="katex">')
    assert out.endswith('</span></span></div>\n<pre><code>\\(not math\\)</code></pre>')
    assert "<mo>&lt;</mo>" in out                    # the escaped < reached KaTeX as <
    assert '<div class="arithmatex"><span><span class="katex-display">' in out
    assert not re.search(r'class="arithmatex">\\[(\[]', out)


def test_a_tex_error_is_logged_with_page_and_formula(katex, caplog):
    page = '<p><span class="arithmatex">\\(\\frac{1\\)</span></p>'
    with caplog.at_level(logging.ERROR, logger="mkdocs.hooks.katex"):
        out = katex_hook.typeset(page, katex, "multi-input.md")
    assert out == page                               # left as source, and the build fails:
    (record,) = caplog.records
    assert record.levelno == logging.ERROR
    assert "multi-input.md" in record.message and "`\\frac{1`" in record.message


def test_notebook_markdown_math_is_found(tmp_path):
    notebook = tmp_path / "n.ipynb"
    notebook.write_text(json.dumps({"cells": [
        {"cell_type": "markdown", "source": ["价格 5 元\n"]},
        {"cell_type": "code", "source": ["x = '$a$'\n"]},
        {"cell_type": "markdown", "source": ["权重 $w_i$ 的更新\n"]},
    ]}), encoding="utf-8")
    assert katex_hook.notebook_math(notebook) == ["权重 $w_i$ 的更新\n"]
    # The site's notebooks have none: nothing would typeset it.
    for path in (ROOT / "docs").rglob("*.ipynb"):
        assert katex_hook.notebook_math(path) == [], path


# -- a small MkDocs project ------------------------------------------------------------

def _project(tmp_path, pages):
    docs = tmp_path / "docs"
    docs.mkdir(parents=True)
    for name, text in pages.items():
        (docs / name).write_text(text, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: math\n"
        "theme: {name: mkdocs}\n"
        f"hooks: [{json.dumps(str(HOOK))}]\n"
        "markdown_extensions: [{pymdownx.arithmatex: {generic: true}}]\n",
        encoding="utf-8")
    return tmp_path


def _build(project, site, cache):
    # The builtin theme stamps the build date into each page unless SOURCE_DATE_EPOCH is set.
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", GDBOOK_CACHE_DIR=str(cache),
               SOURCE_DATE_EPOCH="1700000000")
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=project, env=env, capture_output=True, text=True)


def _html(site):
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*.html"))}


GOOD = "# 公式\n\n行内 $x_i$ 与\n\n$$\n\\text{pred} = \\sum_i w_i x_i\n$$\n"


def test_a_tex_error_fails_the_strict_build_naming_page_and_formula(tmp_path):
    project = _project(tmp_path / "p", {"index.md": GOOD, "bad.md": "坏的 $\\frac{1$ 公式\n"})
    result = _build(project, tmp_path / "site", tmp_path / "cache")
    assert result.returncode == 1
    log = result.stdout + result.stderr
    assert "bad.md: KaTeX cannot typeset the formula `\\frac{1`" in log
    assert "in strict mode" in log
    assert "Traceback" not in log


def test_two_builds_are_byte_identical_and_the_second_uses_the_cache(tmp_path):
    project = _project(tmp_path / "p", {"index.md": GOOD})
    cache = tmp_path / "cache"
    first = _build(project, tmp_path / "first", cache)
    assert first.returncode == 0, first.stderr
    (cached,) = (cache / "katex").glob("formulas-*.json")
    assert len(json.loads(cached.read_text(encoding="utf-8"))) == 2
    stamp = cached.stat().st_mtime_ns
    second = _build(project, tmp_path / "second", cache)
    assert second.returncode == 0, second.stderr
    assert _html(tmp_path / "second") == _html(tmp_path / "first")
    assert cached.stat().st_mtime_ns == stamp          # unchanged formulas: not rewritten
    # The second build took its formulas from the cache: a doctored entry shows up.
    formulas = json.loads(cached.read_text(encoding="utf-8"))
    formulas["inline:x_i"] = '<span class="katex">from-the-cache</span>'
    cached.write_text(json.dumps(formulas), encoding="utf-8")
    third = _build(project, tmp_path / "third", cache)
    assert third.returncode == 0, third.stderr
    assert b"from-the-cache" in (tmp_path / "third" / "index.html").read_bytes()


# -- the real site ---------------------------------------------------------------------

@pytest.fixture
def site(built_site):
    """The site of this test run (tests/conftest.py)."""
    return built_site


def _pages(site):
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(site.rglob("*.html"))}


def test_every_formula_of_the_site_is_typeset(site):
    pages = _pages(site)
    # whatever classes and attributes later hooks add to the wrapper (gd-lazy, tabindex)
    wrappers = {name: re.findall(r'class="arithmatex[^"]*"[^>]*>(.{0,40})', text, re.S)
                for name, text in pages.items()}
    assert sum(map(len, wrappers.values())) > 0, "no math on any page"
    for name, starts in wrappers.items():
        for start in starts:
            assert start.startswith('<span><span class="katex'), (name, start)


def test_no_page_loads_math_javascript(site):
    for name, text in _pages(site).items():
        scripts = re.findall(r"<script[^>]*\bsrc=\"([^\"]*)\"", text)
        assert not [s for s in scripts if "katex" in s or "auto-render" in s], (name, scripts)
        assert "renderMathInElement" not in text, name


def test_katex_stylesheet_and_its_fonts_are_served(site):
    index = (site / "multi-input" / "index.html").read_text(encoding="utf-8")
    assert 'href="../assets/vendor/katex/katex.min.css"' in index
    css = (site / "assets" / "vendor" / "katex" / "katex.min.css").read_text(encoding="utf-8")
    fonts = set(re.findall(r"url\((fonts/[^)]+\.woff2)\)", css))
    assert fonts
    missing = [f for f in fonts if not (site / "assets" / "vendor" / "katex" / f).is_file()]
    assert missing == []
