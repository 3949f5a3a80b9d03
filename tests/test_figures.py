"""The figure build: every catalogue id drawn in both palettes, reproducible, content-cached,
atomic, and strict about warnings. One cold build per session is shared by the tests;
tests that change things work on a copy of it."""
import dataclasses
import os
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image

from gdbook import cli, listings
from gdbook.figures import FIGURES, FigureBuildError, build
from gdbook.figures.build import _read_manifest
from gdbook.figures.draw import new_figure
from gdbook.figures.registry import Figure

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = [  # chapter5.md, "Figure catalogue", in order
    "multi-input-steps", "multi-input-update", "single-vs-multi", "weight-perspective",
    "delta-to-weight-deltas", "error-curves", "alpha-divergence", "frozen-curves",
    "error-surface", "multi-output", "multi-in-out", "mnist-samples", "mnist-network",
    "weight-images", "dot-products",
]


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("figures")
    results = build(out, progress=lambda line: None)
    return out, results


@pytest.fixture
def copy_of_built(built, tmp_path):
    out = tmp_path / "figures"
    shutil.copytree(built[0], out)
    return out


def _snapshot(folder):
    return {p.name: p.read_bytes() for p in sorted(Path(folder).iterdir())}


def _statuses(results):
    return {r.id: r.status for r in results}


def test_registry_is_the_catalogue():
    assert list(FIGURES) == CATALOGUE


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
    entries = _read_manifest(out)
    assert list(entries) == CATALOGUE
    for id, entry in entries.items():
        assert set(entry["sha256"]) == set(entry["files"].values())
        for text in (entry["caption"], entry["alt"]):
            assert any("\u4e00" <= ch <= "\u9fff" for ch in text), (id, text)


def test_each_figure_has_a_page_snippet_from_the_registry(built):
    out = built[0]
    for spec in FIGURES.values():
        names = [f"{spec.id}.md"] + ([f"{spec.id}-anim.md"] if spec.animate else [])
        texts = [(out / n).read_text(encoding="utf-8") for n in names]
        assert spec.alt in texts[0] and spec.caption in texts[0]
        for pal in ("light", "dark"):
            assert f"(figures/{spec.files()[pal]}#only-{pal}){{ loading=lazy }}" in texts[0]
        if spec.animate:
            assert spec.animation_alt and spec.animation_caption in texts[1]
            assert f"figures/{spec.files()['anim-dark']}#only-dark" in texts[1]


def test_every_catalogue_figure_is_placed_on_a_page():
    pages = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "docs").glob("*.md"))
    for spec in FIGURES.values():
        assert f'--8<-- "docs/figures/{spec.id}.md"' in pages, spec.id
        if spec.animate:
            assert f'--8<-- "docs/figures/{spec.id}-anim.md"' in pages, spec.id


def test_two_clean_builds_are_byte_identical(built, tmp_path):
    # The second build runs in a fresh process, through the CLI.
    second = tmp_path / "second"
    subprocess.run([sys.executable, "-m", "gdbook", "figures", "--out", str(second)],
                   cwd=ROOT, check=True, capture_output=True)
    first = _snapshot(built[0])
    assert list(first) == list(_snapshot(second))
    for name, data in _snapshot(second).items():
        assert data == first[name], name


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
    assert list(_read_manifest(tmp_path)) == ["multi-output"]   # the others still build


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


def _load_hook():
    import importlib.util
    spec = importlib.util.spec_from_file_location("gdbook_hook", ROOT / "scripts" / "hooks.py")
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    return hook


def test_hook_logs_figure_errors_and_keeps_the_manifest_out_of_the_site(
        built, tmp_path, monkeypatch, caplog):
    from mkdocs.structure.files import File, Files

    hook = _load_hook()
    docs = tmp_path / "docs"
    shutil.copytree(built[0], docs / "figures")
    monkeypatch.setitem(FIGURES, "cjk-test", Figure("cjk-test", _cjk_figure, "测试", "测试"))
    config = type("Config", (), {"docs_dir": str(docs)})()
    with caplog.at_level("INFO", logger="mkdocs.hooks.figures"):
        hook.on_pre_build(config)
    errors = [r for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 1 and "cjk-test" in errors[0].getMessage()

    files = Files([File(p, str(docs), "/tmp/site", True) for p in
                   (hook.MANIFEST, "figures/error-curves.light.svg")])
    assert [f.src_uri for f in hook.on_files(files, config)] == ["figures/error-curves.light.svg"]


def test_cache_key_covers_the_figure_function_and_what_it_uses_not_its_neighbours():
    from gdbook.figures.registry import figure_sources

    def names(id):
        return {s.split("\n", 1)[0] for s in figure_sources(FIGURES[id])}

    alpha, curves, frozen = names("alpha-divergence"), names("error-curves"), names("frozen-curves")
    assert "def gdbook.figures.curves.alpha_divergence" in alpha
    assert not any("error_curves" in n or "_curve_panels" in n for n in alpha)
    # a helper shared by two figures is in both keys; the animation is in its figure's key
    assert "def gdbook.figures.curves._curve_panels" in curves & frozen
    assert {"def gdbook.figures.curves.frozen_curves_anim",
            "const gdbook.figures.curves.TWEEN_FRAMES"} <= frozen
    assert "def gdbook.fast.error_curve" in curves         # code outside figures/ too


def test_hook_skips_the_figure_package_when_nothing_changed(built, tmp_path, monkeypatch, caplog):
    import gdbook.figures

    hook = _load_hook()
    monkeypatch.setenv("GDBOOK_CACHE_DIR", str(tmp_path / "cache"))
    docs = tmp_path / "docs"
    shutil.copytree(built[0], docs / "figures")
    config = type("Config", (), {"docs_dir": str(docs)})()
    with caplog.at_level("INFO", logger="mkdocs.hooks.figures"):
        hook.on_pre_build(config)                     # all cached; leaves a stamp
        assert "沿用缓存 15 张" in caplog.records[-1].getMessage()

        def no_build(*args, **kwargs):
            raise AssertionError("the figure build ran although nothing changed")

        monkeypatch.setattr(gdbook.figures, "build", no_build)
        hook.on_pre_build(config)
        assert "全部沿用" in caplog.records[-1].getMessage()

        (docs / "figures" / "multi-output.light.svg").unlink()   # a file went missing
        monkeypatch.undo()
        monkeypatch.setenv("GDBOOK_CACHE_DIR", str(tmp_path / "cache"))
        hook.on_pre_build(config)
        assert "重画 1 张" in caplog.records[-1].getMessage()
    assert (docs / "figures" / "multi-output.light.svg").read_bytes() == \
        (built[0] / "multi-output.light.svg").read_bytes()
