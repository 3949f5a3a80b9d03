"""The notebook page carries none of mkdocs-jupyter's inlined JupyterLab CSS.

hooks/notebook_style.py removes the known `<style>` blocks (and mkdocs-jupyter's copy button)
from the notebook's HTML and links docs/stylesheets/notebook.css instead. The first tests run
the hook on what mkdocs-jupyter really renders for our notebook, with the options in
mkdocs.yml; the last ones look at the built page (set GDBOOK_SITE_DIR=site to reuse a build).
"""

from __future__ import annotations

import base64
import inspect
import io
import json
import logging
import re
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
import yaml
from mkdocs.utils import CountHandler
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "docs" / "notebooks" / "mnist-preprocessor.ipynb"
PAGE = "notebooks/mnist-preprocessor/index.html"
CSS = ROOT / "docs" / "stylesheets" / "notebook.css"
# Measured: 691 KB before the hook, 77 KB after (16 KB of it the two PNGs, the rest
# Material's page around the notebook). The budget leaves room for a few more cells.
PAGE_BUDGET = 100_000

from hooks import notebook_images  # noqa: E402
from hooks import notebook_style as hook  # noqa: E402


class _Loader(yaml.SafeLoader):
    """Reads mkdocs.yml without building the objects of its !!python tags."""


_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def _jupyter_options() -> dict:
    """mkdocs-jupyter's options as mkdocs.yml sets them, with the plugin's own defaults."""
    from mkdocs_jupyter.plugin import Plugin

    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)
    given = next(p["mkdocs-jupyter"] for p in config["plugins"]
                 if isinstance(p, dict) and "mkdocs-jupyter" in p)
    defaults = {name: option.default for name, option in Plugin.config_scheme}
    return defaults | given


@pytest.fixture(scope="module")
def rendered() -> str:
    """The notebook's HTML exactly as mkdocs-jupyter hands it to MkDocs (before the hooks)."""
    from mkdocs_jupyter.convert import nb2html

    options = _jupyter_options()
    wanted = inspect.signature(nb2html).parameters
    return nb2html(str(NOTEBOOK), **{k: v for k, v in options.items() if k in wanted})


@pytest.fixture(scope="module")
def restyled(rendered) -> str:
    html, missing = hook.restyle(rendered)
    assert missing == []
    return html


def _code_cells():
    return [c for c in nbformat.read(NOTEBOOK, as_version=4).cells if c.cell_type == "code"]


def test_known_blocks_are_removed(rendered, restyled):
    assert len(rendered) > 500_000          # the JupyterLab CSS is really there to remove
    assert "<style" not in restyled
    assert ".jupyter-wrapper{" not in restyled
    assert "clipboard-copy" not in restyled


def test_code_cells_are_material_code_blocks(restyled):
    blocks = re.findall(r'<div class="([^"]*)"><pre><code>', restyled)
    code_cells = [b for b in blocks if "hl-python" in b]
    assert len(code_cells) == len(_code_cells())
    assert all("highlight" in b.split() for b in blocks)
    assert "<pre><span></span>" not in restyled


def test_ids_are_usable_in_css_selectors(rendered, restyled):
    """Material's copy button finds its code by `#__code_<id of the nearest ancestor> > code`."""
    assert 'id="cell-id=' in rendered
    ids = re.findall(r'\bid="([^"]*)"', restyled)
    assert ids and all(re.fullmatch(r"[\w-]*", i) for i in ids)


def test_only_scrolling_outputs_are_focusable(restyled):
    focusable = re.findall(r'<div class="([^"]*)"[^>]*tabindex="0"', restyled)
    text_outputs = [o for c in _code_cells() for o in c.outputs
                    if o.output_type == "stream" or "text/plain" in o.get("data", {})
                    and "image/png" not in o.get("data", {})]
    assert focusable and all(cls.startswith("jp-RenderedText ") for cls in focusable)
    assert len(focusable) == len(text_outputs)


@pytest.mark.parametrize("name", list(hook.PAGE_BLOCKS) + list(hook.CELL_BLOCKS))
def test_a_missing_block_is_reported(rendered, name):
    pattern = {**hook.PAGE_BLOCKS, **hook.CELL_BLOCKS}[name]
    changed, count = pattern.subn("", rendered)
    assert count >= 1
    _, missing = hook.restyle(changed)
    assert [m for m in missing if m.startswith(name)]


def test_an_unknown_style_block_is_reported(rendered):
    _, missing = hook.restyle(rendered + "<style>.jp-New { color: red }</style>")
    assert missing == ["nothing left over (found '<style')"]


def test_a_changed_template_fails_the_strict_build(rendered):
    """The hook warns on MkDocs' logger, whose warnings `mkdocs build --strict` counts."""
    page = SimpleNamespace(file=SimpleNamespace(src_uri="notebooks/mnist-preprocessor.ipynb"))
    files = SimpleNamespace(get_file_from_path=lambda path: object())
    counter = CountHandler()
    counter.setLevel(logging.WARNING)      # as mkdocs.commands.build does in strict mode
    logger = logging.getLogger("mkdocs")
    logger.addHandler(counter)
    try:
        hook.on_page_content(rendered, page=page, config={}, files=files)
        assert counter.get_counts() == []
        changed = hook.PAGE_BLOCKS["JupyterLab CSS"].sub("", rendered)
        hook.on_page_content(changed, page=page, config={}, files=files)
        assert counter.get_counts() == [("WARNING", 1)]
    finally:
        logger.removeHandler(counter)


def test_other_pages_are_left_alone(rendered):
    page = SimpleNamespace(file=SimpleNamespace(src_uri="index.md"))
    assert hook.on_page_content(rendered, page=page, config={}, files=None) == rendered
    assert hook.on_post_page("<head></head>", page=page, config={}) == "<head></head>"


def test_stylesheet_uses_materials_variables_only():
    names = set(re.findall(r"var\((--[\w-]+)", CSS.read_text(encoding="utf-8")))
    assert names and all(name.startswith("--md-") for name in names)


# -- the built page ---------------------------------------------------------------------

@pytest.fixture
def site(built_site) -> Path:
    """The site of this test run (tests/conftest.py)."""
    return built_site


def test_built_page_is_small_and_links_our_stylesheet(site):
    page = site / PAGE
    html = page.read_text(encoding="utf-8")
    assert page.stat().st_size <= PAGE_BUDGET
    assert "<style" not in html and "--jp-" not in html and "clipboard-copy" not in html
    head = html[:html.index("</head>")]
    link = re.search(r'<link rel="stylesheet" href="([^"]*notebook\.css)">', head)
    assert link and (page.parent / link[1]).resolve().read_bytes() == CSS.read_bytes()


def test_only_the_notebook_page_links_it(site):
    linking = [p.relative_to(site).as_posix() for p in site.rglob("*.html")
               if "notebook.css" in p.read_text(encoding="utf-8")]
    assert linking == [PAGE]


def test_search_index_has_the_code_once_and_no_button_text(site):
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    text = " ".join(d["text"] for d in docs if d["location"].startswith("notebooks/"))
    assert "load_pixels" in text
    assert "Copied!" not in text
    assert text.count("as_images, load_mnist") == 1


# -- the images: hooks/notebook_images.py ------------------------------------------------

def test_each_image_gets_its_cells_description_and_its_size():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    alts = notebook_images.descriptions(notebook)
    assert alts and all(alts), "every cell that draws a picture says what it shows (metadata alt)"
    outputs = [o.data["image/png"] for c in notebook.cells if c.cell_type == "code"
               for o in c.outputs if "image/png" in o.get("data", {})]
    page = "".join(f'<img alt="x" class="" src="data:image/png;base64,{png}"/>' for png in outputs)
    html, problems = notebook_images.describe(page, alts)
    assert problems == []
    for alt, png in zip(alts, outputs):
        width, height = Image.open(io.BytesIO(base64.b64decode(png))).size
        assert f'alt="{alt}" class="" width="{width}" height="{height}"' in html
    # a picture nobody described is reported, not given an empty or English alt
    html, problems = notebook_images.describe(page, [None] * len(alts))
    assert problems and html == page


def test_built_notebook_images_are_described_in_chinese_and_sized(site):
    images = re.findall(r"<img\b[^>]*>", (site / PAGE).read_text(encoding="utf-8"))
    assert images
    for img in images:
        alt = re.search(r'alt="([^"]*)"', img)[1]
        assert re.search(r"[\u4e00-\u9fff]", alt) and "No description" not in alt
        assert re.search(r'width="\d+" height="\d+"', img)
