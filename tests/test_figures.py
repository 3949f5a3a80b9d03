"""The figure build: every catalogue id drawn in both palettes, reproducible, content-cached,
atomic, and strict about warnings. One cold build per session (``figure_set``,
tests/conftest.py) is shared by the tests; tests that change things work on a copy of it."""
import dataclasses
import html
import os
import re
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image

from gdbook import cli, listings
from gdbook.figures import FigureBuildError, build
from gdbook.figures.draw import new_figure
from gdbook.figures.manifest import MANIFEST, read_manifest
from gdbook.figures.registry import CATALOGUE, FIGURES, NARROW_MEDIA, Figure, first_on_page, load
from gdbook.figures.render import _layout
from gdbook.figures.render import drawn_texts
from gdbook.figures.snippets import snippets
from gdbook.figures.style import LIGHT, context
from gdbook.numbers import num
from gdbook.plugin import GdbookPlugin

ROOT = Path(__file__).resolve().parent.parent
load()


@pytest.fixture
def built(figure_set):
    return figure_set


@pytest.fixture
def copy_of_built(figure_set, tmp_path):
    out = tmp_path / "figures"
    shutil.copytree(figure_set[0], out)
    return out


def _snapshot(folder):
    return {p.name: p.read_bytes() for p in sorted(Path(folder).iterdir())}


def _statuses(results):
    return {r.id: r.status for r in results}


def test_registry_is_the_catalogue():
    assert list(FIGURES) == list(CATALOGUE)


def test_registry_imports_without_matplotlib():
    code = ("import sys, gdbook.figures.registry as r; "
            "assert 'matplotlib' not in sys.modules and r.FIGURES == {}, sorted(sys.modules)")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_every_id_builds_in_both_palettes(built):
    out, results = built
    assert _statuses(results) == {id: "drawn" for id in CATALOGUE}
    for id in CATALOGUE:
        spec = FIGURES[id]
        files = spec.files()
        assert files["light"] == f"{id}.light.{spec.fmt}" and files["dark"] == f"{id}.dark.{spec.fmt}"
        for name in files.values():
            data = (out / name).read_bytes()
            assert len(data) > 1000, name
            if name.endswith(".svg"):
                assert ET.fromstring(data).tag == "{http://www.w3.org/2000/svg}svg", name
                assert b"<dc:date>" not in data and b"Matplotlib v" not in data, name
            else:
                with Image.open(out / name) as im:
                    im.verify()
                with Image.open(out / name) as im:
                    assert im.format == ("GIF" if name.endswith(".gif") else "PNG"), name
                    if im.format == "GIF":
                        assert im.n_frames > 5, name
        assert (out / files["light"]).read_bytes() != (out / files["dark"]).read_bytes(), id
    assert (out / "frozen-curves-anim.light.gif").exists()


def test_manifest_has_chinese_caption_and_alt(built):
    out, _ = built
    entries = read_manifest(out)
    assert list(entries) == list(CATALOGUE)
    for id, entry in entries.items():
        assert set(entry["sha256"]) == set(entry["files"].values())
        for text in (entry["caption"], entry["alt"]):
            assert any("\u4e00" <= ch <= "\u9fff" for ch in text), (id, text)


def test_every_figure_is_placed_on_the_page_its_module_is_named_after():
    for spec in FIGURES.values():
        page = ROOT / "docs" / (spec.draw.__module__.rsplit(".", 1)[1].replace("_", "-") + ".md")
        text = page.read_text(encoding="utf-8")
        assert f'--8<-- "docs/figures/{spec.id}.md"' in text, (spec.id, page.name)
        if spec.animate:
            assert f'--8<-- "docs/figures/{spec.id}-anim.md"' in text, (spec.id, page.name)


def test_a_clean_build_in_a_fresh_process_is_byte_identical(built, tmp_path):
    # Through the CLI, on representative figures: SVG, PNG and the GIF animation (all 15
    # are drawn once per session already; a cold second set would double the test time).
    second = tmp_path / "second"
    ids = ["frozen-curves", "mnist-samples"]
    subprocess.run([sys.executable, "-m", "gdbook", "figures", "--out", str(second), "--only", *ids],
                   cwd=ROOT, check=True, capture_output=True)
    files = [name for id in ids for name in FIGURES[id].files().values()]
    assert {name.rsplit(".", 1)[1] for name in files} == {"svg", "png", "gif"}
    first = _snapshot(built[0])
    for name in files:
        assert (second / name).read_bytes() == first[name], name


def test_second_build_redraws_and_writes_nothing(copy_of_built):
    before = {p.name: p.stat().st_mtime_ns for p in copy_of_built.iterdir()}
    time.sleep(0.01)
    results = build(copy_of_built, progress=lambda line: None)
    assert set(_statuses(results).values()) == {"cached"}
    assert {p.name: p.stat().st_mtime_ns for p in copy_of_built.iterdir()} == before


def test_a_changed_parameter_changes_the_figure(copy_of_built, monkeypatch):
    old = _snapshot(copy_of_built)
    listing = listings.LISTINGS["multi-input"]
    monkeypatch.setitem(listings.LISTINGS, "multi-input", dataclasses.replace(listing, alpha=0.02))
    results = build(copy_of_built, only=["multi-input-update", "multi-output"],
                    progress=lambda line: None)
    assert _statuses(results) == {"multi-input-update": "drawn", "multi-output": "cached"}
    new = _snapshot(copy_of_built)
    for name in ("multi-input-update.light.svg", "multi-input-update.dark.svg"):
        assert new[name] != old[name]
    assert new["multi-output.light.svg"] == old["multi-output.light.svg"]


def _cjk_figure(pal):
    fig = new_figure(2, 1)
    fig.text(0.5, 0.5, "权重")          # DejaVu Sans has no CJK glyphs
    return fig


def test_a_missing_glyph_fails_the_build_and_names_the_figure(tmp_path, monkeypatch):
    monkeypatch.setitem(FIGURES, "cjk-test", Figure("cjk-test", _cjk_figure, "测试", "测试"))
    with pytest.raises(FigureBuildError) as caught:
        build(tmp_path, only=["cjk-test", "multi-output"], progress=lambda line: None)
    (failure,) = caught.value.failures
    assert failure.figure_id == "cjk-test"
    assert "cjk-test" in str(failure) and "Glyph" in str(failure)
    assert not list(tmp_path.glob("cjk-test*"))
    assert list(read_manifest(tmp_path)) == ["multi-output"]   # the others still build


def test_an_interrupted_build_leaves_no_partial_file_and_recovers(copy_of_built, monkeypatch):
    target = copy_of_built / "multi-output.light.svg"
    good = target.read_bytes()
    target.write_bytes(b"<svg")                  # damaged: the cache must notice

    def crash(src, dst):
        raise KeyboardInterrupt("simulated crash between writing and renaming")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        build(copy_of_built, only=["multi-output"], progress=lambda line: None)
    monkeypatch.undo()
    assert target.read_bytes() == b"<svg"        # untouched, not half of the new file
    assert not list(copy_of_built.glob(".*.tmp"))

    # A build killed outright leaves its temporary file behind: the next one removes it.
    stale = copy_of_built / ".multi-output.dark.svg.abc123.tmp"
    stale.write_bytes(b"half")
    os.utime(stale, (time.time() - 3600, time.time() - 3600))
    results = build(copy_of_built, only=["multi-output"], progress=lambda line: None)
    assert _statuses(results) == {"multi-output": "drawn"}
    assert target.read_bytes() == good
    assert not stale.exists()


def test_cli_unknown_id_exits_2_with_a_suggestion(tmp_path, capsys):
    assert cli.main(["figures", "--out", str(tmp_path), "--only", "multi-inptu-steps"]) == 2
    err = capsys.readouterr().err
    assert "你是不是想输入 multi-input-steps" in err
    assert not list(tmp_path.iterdir())


def test_cli_progress_one_line_per_figure(copy_of_built, capsys):
    assert cli.main(["figures", "--out", str(copy_of_built), "--only", "error-curves",
                     "weight-images"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[:2] for line in lines[:2]] == [["缓存", "error-curves"],
                                                       ["缓存", "weight-images"]]
    assert "KB" in lines[0]


def test_cache_key_covers_the_figure_function_and_what_it_uses_not_its_neighbours():
    from gdbook.figures.keys import figure_sources

    def names(id):
        return {s.split("\n", 1)[0] for s in figure_sources(FIGURES[id])}

    alpha, curves, frozen = names("alpha-divergence"), names("error-curves"), names("frozen-curves")
    assert "def gdbook.figures.multi_input.alpha_divergence" in alpha
    assert not any("error_curves" in n or "_curve_panels" in n for n in alpha)
    # a helper shared by two figures is in both keys; the animation is in its figure's key
    assert "def gdbook.figures.curves._curve_panels" in curves & frozen
    assert {"def gdbook.figures.freeze.frozen_curves_anim",
            "const gdbook.figures.freeze.TWEEN_FRAMES"} <= frozen
    assert "def gdbook.fast.error_curve" in curves         # code outside figures/ too


def _boom(pal):
    return 1 / 0                         # a bug in a figure function


def test_a_failing_figure_keeps_its_traceback(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(FIGURES, "boom-test", Figure("boom-test", _boom, "测试", "测试"))
    with pytest.raises(FigureBuildError) as caught:
        build(tmp_path, only=["boom-test"], progress=lambda line: None, jobs=2)  # in the pool
    (failure,) = caught.value.failures
    assert failure.message == "ZeroDivisionError: division by zero"
    assert "Traceback" in failure.details and "in _boom" in failure.details
    assert failure.details.rstrip() in str(failure)
    # the CLI prints it: a failing figure is a bug
    assert cli.main(["figures", "--out", str(tmp_path), "--only", "boom-test"]) == 1
    err = capsys.readouterr().err
    assert "boom-test" in err and "in _boom" in err and "1 / 0" in err


def _plugin(docs):
    plugin = GdbookPlugin()
    errors, warnings = plugin.load_config({})
    assert errors == [] and warnings == []
    return plugin, type("Config", (), {"docs_dir": str(docs)})()


def test_plugin_logs_figure_errors_and_keeps_manifest_and_snippets_out_of_the_site(
        built, tmp_path, monkeypatch, caplog):
    from mkdocs.structure.files import File, Files

    docs = tmp_path / "docs"
    shutil.copytree(built[0], docs / "figures")
    plugin, config = _plugin(docs)
    monkeypatch.setitem(FIGURES, "cjk-test", Figure("cjk-test", _cjk_figure, "测试", "测试"))
    with caplog.at_level("INFO", logger="mkdocs.plugins.gdbook"):
        plugin.on_pre_build(config=config)
    errors = [r for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 1 and "cjk-test" in errors[0].getMessage()

    names = (f"figures/{MANIFEST}", "figures/error-curves.md", "figures/error-curves.light.svg")
    files = Files([File(p, str(docs), "/tmp/site", True) for p in names])
    kept = plugin.on_files(files, config=config)
    assert [f.src_uri for f in kept] == ["figures/error-curves.light.svg"]


def test_nothing_changed_skips_matplotlib_and_a_missing_file_is_redrawn(
        built, copy_of_built, tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("GDBOOK_CACHE_DIR", str(tmp_path / "cache"))
    results = build(copy_of_built, progress=lambda line: None)     # all cached; leaves a stamp
    assert {r.status for r in results} == {"cached"}
    # a fresh process (the CLI, or mkdocs with the plugin) does not even import matplotlib
    code = ("import sys; from gdbook.figures import build; "
            f"r = build({str(copy_of_built)!r}, progress=lambda line: None); "
            "assert {x.status for x in r} == {'unchanged'} and len(r) == 15, r; "
            "assert 'matplotlib' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)

    plugin, config = _plugin(copy_of_built.parent)
    (copy_of_built / "multi-output.light.svg").unlink()          # a file went missing
    with caplog.at_level("INFO", logger="mkdocs.plugins.gdbook"):
        plugin.on_pre_build(config=config)
        assert "重画 1 张" in caplog.records[-1].getMessage()
        plugin.on_pre_build(config=config)
        assert "全部沿用" in caplog.records[-1].getMessage()
    assert (copy_of_built / "multi-output.light.svg").read_bytes() == \
        (built[0] / "multi-output.light.svg").read_bytes()


# ---------------------------------------------------------------- sizes, snippets, numbers

def test_manifest_records_sizes_measured_from_each_file(built):
    out, _ = built
    for id, entry in read_manifest(out).items():
        spec = FIGURES[id]
        files = set(spec.files().values())
        assert set(entry["min_text_pt"]) == set(entry["width_pt"]) == set(entry["size_px"]) == files
        assert set(entry["media"]) == {n for k, n in spec.files().items() if "narrow" in k}
        for name in files:
            width_pt, (width_px, height_px) = entry["width_pt"][name], entry["size_px"][name]
            assert entry["min_text_pt"][name] >= 9, (name, entry["min_text_pt"][name])
            assert width_px == round(width_pt * 4 / 3), name            # 1 pt = 4/3 CSS px
            if name.endswith(".svg"):                  # the file says the same width
                root = ET.fromstring((out / name).read_bytes())
                assert float(root.get("width").removesuffix("pt")) == pytest.approx(width_pt)
            else:                                      # raster files: about 2x the CSS size
                with Image.open(out / name) as im:
                    assert im.width / width_px == pytest.approx(
                        2.0 if name.endswith(".gif") else 200 / 96, abs=0.01), name
                    assert im.height / height_px == pytest.approx(im.width / width_px, rel=0.02)


def test_each_figure_has_a_page_snippet_from_the_registry(built):
    out = built[0]
    entries = read_manifest(out)
    firsts = first_on_page(FIGURES)
    for spec in FIGURES.values():
        names = [f"{spec.id}.md"] + ([f"{spec.id}-anim.md"] if spec.animate else [])
        assert list(snippets(spec, entries[spec.id])) == names
        texts = [(out / n).read_text(encoding="utf-8") for n in names]
        assert texts[0] == snippets(spec, entries[spec.id], first=spec.id in firsts)[names[0]]
        # the first figure of a page is not lazy; every other image is
        eager = re.findall(r'<img (?:(?!loading=)[^>])*>', "".join(texts))
        assert len(eager) == (2 if spec.id in firsts else 0), spec.id
        assert html.escape(spec.alt) in texts[0] and spec.caption in texts[0]
        for text, kind in zip(texts, ("", "anim-")):
            for pal in ("light", "dark"):
                wide = spec.files()[f"{kind}{pal}"]
                w, h = entries[spec.id]["size_px"][wide]
                # every figure opens full size: its image is wrapped in a link to the file
                assert re.search(rf'<a [^>]*href="\.\./figures/{re.escape(wide)}"[^>]*>'
                                 rf'<picture>.*?<img src="\.\./figures/{re.escape(wide)}#only-{pal}"'
                                 rf'[^>]* width="{w}" height="{h}"', text), (spec.id, pal)
                narrow = spec.files().get(f"{kind}narrow-{pal}")
                if narrow:
                    w, h = entries[spec.id]["size_px"][narrow]
                    assert (f'<source media="{NARROW_MEDIA}" srcset="../figures/{narrow}" '
                            f'width="{w}" height="{h}">') in text
        if spec.id in firsts:     # the eager <picture>: by the system's scheme, then width
            files, sizes = spec.files(), entries[spec.id]["size_px"]
            media = ([f"(prefers-color-scheme: dark) and {NARROW_MEDIA}"] if spec.narrow else []) \
                + ["(prefers-color-scheme: dark)"] + ([NARROW_MEDIA] if spec.narrow else [])
            names = [files[k] for k in ("narrow-dark", "dark", "narrow-light") if k in files]
            sources = "".join(f'<source media="{m}" srcset="../figures/{n}" width="{sizes[n][0]}" '
                              f'height="{sizes[n][1]}">' for m, n in zip(media, names))
            for pal in ("light", "dark"):
                assert (f'<a class="gd-figure__link gd-only-{pal} gd-figure--system" '
                        f'href="../figures/{files[pal]}" title="打开原尺寸的图"><picture>{sources}'
                        f'<img src="../figures/{files["light"]}" ') in texts[0], spec.id


def test_the_stylesheet_switches_to_narrow_variants_where_the_snippets_say():
    # <source media> does the switching; the stylesheet only hides the other palette's link
    # (and, for a page's first figure, the system's or the chosen palette's copy)
    css = (ROOT / "docs" / "stylesheets" / "extra.css").read_text(encoding="utf-8")
    for name in (".gd-only-light", ".gd-only-dark", ".gd-figure--system", ".gd-figure--chosen"):
        assert name in css


NUMBER = re.compile(r"[\u2212-]?\d+(?:\.\d+)?")


def _scalars(value, found):
    """Every number in a figure's inputs (run records, lists, small arrays)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            _scalars(getattr(value, f.name), found)
    elif isinstance(value, dict):
        for v in value.values():
            _scalars(v, found)
    elif isinstance(value, (list, tuple)) or (hasattr(value, "tolist") and getattr(value, "size", 0) <= 200):
        for v in (value.tolist() if hasattr(value, "tolist") else value):
            _scalars(v, found)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        found.add(float(value))
    return found


def _allowed(inputs):
    """num(v) of every input value and its negative, and of every product, sum and difference
    of two of them (a figure writes −0.15 × 8.5 = −1.275 and weights_after − weights)."""
    values = sorted(_scalars(inputs, set()))
    values += [-v for v in values]
    derived = {op(a, b) for a in values for b in values
               for op in (float.__mul__, float.__sub__, float.__add__)}
    return {num(v) for v in (*values, *derived)}


def _written_numbers(fig):
    """Number tokens of every text the figure draws, tick labels excepted (axis scales)."""
    texts = drawn_texts(fig)             # first: drawing creates the tick labels
    ticks = {id(t) for ax in fig.get_axes() for axis in (ax.xaxis, ax.yaxis)
             for tick in axis.get_major_ticks() + axis.get_minor_ticks()
             for t in (tick.label1, tick.label2)}
    return [(token, text) for text, _, artist in texts if id(artist) not in ticks
            for token in NUMBER.findall(text)]


@pytest.mark.parametrize("id", [i for i in CATALOGUE if FIGURES[i].fmt == "svg"])
def test_every_number_a_figure_writes_is_an_input_value_written_by_num(id):
    spec = FIGURES[id]
    inputs = spec.inputs()
    allowed = _allowed(inputs)
    for layout in spec.layouts:
        with context(LIGHT):
            fig = spec.draw(LIGHT, **_layout(spec, layout), **inputs)
            for token, text in _written_numbers(fig):
                if "." not in token:
                    continue                      # counts, indices, "t = 2", "x_783"
                assert num(float(token.replace("\u2212", "-"))) == token, (id, layout, text)
                assert token in allowed, (id, layout, token, text)


def test_dot_product_scores_are_written_by_num():
    spec = FIGURES["dot-products"]
    inputs = spec.inputs()
    scores = {num(s) for s in inputs["weights"] @ inputs["image"]}
    for layout in spec.layouts:
        with context(LIGHT):
            fig = spec.draw(LIGHT, **_layout(spec, layout), **inputs)
            written = {token for token, _ in _written_numbers(fig) if "." in token}
        assert written == scores, layout


def test_every_page_shows_its_first_figure_first():
    # The snippet of the first figure registered by a page's module is the first on the page.
    for spec in FIGURES.values():
        page = ROOT / "docs" / (spec.draw.__module__.rsplit(".", 1)[1].replace("_", "-") + ".md")
        first = re.search(r'--8<-- "docs/figures/([\w-]+)\.md"', page.read_text(encoding="utf-8"))
        mine = [s.id for s in FIGURES.values() if s.draw.__module__ == spec.draw.__module__]
        assert first[1] == mine[0], page.name


def test_plugin_dates_the_pages_by_the_commit_not_the_build_day(monkeypatch, tmp_path):
    """sitemap.xml's lastmod comes from SOURCE_DATE_EPOCH: set to HEAD's time, two clean builds
    of one commit are byte-identical on any day; a value the builder set is kept."""
    import datetime

    from mkdocs.utils import get_build_date

    plugin, _ = _plugin(tmp_path)
    repo = type("Config", (), {"config_file_path": str(ROOT / "mkdocs.yml")})()
    head = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True,
                          text=True, check=True).stdout.strip()
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    plugin.on_config(repo)
    assert get_build_date() == datetime.datetime.fromtimestamp(
        int(head), datetime.timezone.utc).strftime("%Y-%m-%d")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    plugin.on_config(repo)
    assert get_build_date() == "1970-01-01"
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    plugin.on_config(type("Config", (), {"config_file_path": str(tmp_path / "mkdocs.yml")})())
    assert "SOURCE_DATE_EPOCH" not in os.environ       # not a git repository: the build day
