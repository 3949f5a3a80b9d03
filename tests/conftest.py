"""Fixtures shared by the tests in tests/ (tests/browser/ has its own conftest.py too).

* ``figure_set``: every catalogue figure drawn once per test run, cold, into a temporary
  directory: ``(folder, results)``. With pytest-xdist the first worker that needs it draws
  it and the others wait and share it (``once_per_run``). The figure tests read it (and
  copy it before changing anything).
* ``built_site``: the site, built once per test run (the same way) with ``mkdocs build
  --strict`` into a temporary directory, or an already built directory named by
  ``GDBOOK_SITE_DIR`` (e.g. ``GDBOOK_SITE_DIR=site`` after ``make site``). The build puts
  ``figure_set``'s files in docs/figures/ first, so the gdbook plugin draws none again.
* ``cache_dir`` (automatic): ``GDBOOK_CACHE_DIR`` points into a temporary folder for the run.
* ``run_cli``: the one way the tests run ``python -m gdbook`` (see its block below).
"""
import functools
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from filelock import FileLock

from gdbook.cache import write_if_changed
from gdbook.figures import build

ROOT = Path(__file__).resolve().parents[1]

# --doctest-modules would import this file once more as a module of its own: it has no doctests.
collect_ignore = ["conftest.py"]


@pytest.fixture(scope="session", autouse=True)
def cache_dir(tmp_path_factory):
    """The gdbook cache (MNIST weights, figure stamps, search and math caches) of this test run:
    a temporary folder, so the tests leave nothing in the repository's .gdbook-cache/."""
    with pytest.MonkeyPatch.context() as patch:
        folder = tmp_path_factory.mktemp("gdbook-cache")
        patch.setenv("GDBOOK_CACHE_DIR", str(folder))
        yield folder


def once_per_run(tmp_path_factory, name, make):
    """``make(folder)`` once per test run, whatever the number of pytest-xdist workers.

    The folder is ``name`` in the run's temporary root (shared by the workers); the first
    worker to get here makes it under a lock, the others wait and take its result, which
    ``make`` returns picklable. A failure is not kept: the next worker tries again."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent
    folder, result = root / name, root / f"{name}.result.pickle"
    with FileLock(root / f"{name}.lock"):
        if not result.is_file():
            folder.mkdir(exist_ok=True)
            result.write_bytes(pickle.dumps(make(folder)))
    return folder, pickle.loads(result.read_bytes())


@pytest.fixture(scope="session")
def figure_set(tmp_path_factory):
    return once_per_run(tmp_path_factory, "figures",
                        lambda out: build(out, progress=lambda line: None))


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, request) -> Path:
    reuse = os.environ.get("GDBOOK_SITE_DIR")
    if reuse:
        site = (ROOT / reuse).resolve()
        if not (site / "index.html").is_file():
            pytest.fail(f"GDBOOK_SITE_DIR={reuse}: no index.html there (run `make site` first)")
        return site
    figures, _ = request.getfixturevalue("figure_set")
    site, _ = once_per_run(tmp_path_factory, "site", functools.partial(_build_site, figures))
    return site


def _build_site(figures: Path, site: Path) -> None:
    for path in figures.iterdir():          # unchanged bytes are not rewritten (mtimes kept)
        write_if_changed(ROOT / "docs" / "figures" / path.name, path.read_bytes())
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    if result.returncode != 0:
        pytest.fail("mkdocs build --strict failed:\n" + result.stdout + result.stderr, pytrace=False)


# ================================================================ the command line
# One way to run `python -m gdbook` for every CLI test: a fresh process, UTF-8 output
# whatever the locale, and the same command for the Ctrl-C test that needs a live process.

CLI = [sys.executable, "-m", "gdbook"]


def _cli_env(extra=None):
    return {**os.environ, "PYTHONIOENCODING": "utf-8", **(extra or {})}


def _run_cli(*args, env=None, **kwargs):
    """Run ``python -m gdbook ARGS``; returns the CompletedProcess (text, stdout/stderr captured)."""
    return subprocess.run([*CLI, *args], capture_output=True, text=True, encoding="utf-8",
                          env=_cli_env(env), **kwargs)


def _start_cli(*args, env=None):
    """Start ``python -m gdbook ARGS`` without waiting (stdout, stderr piped, text)."""
    return subprocess.Popen([*CLI, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, encoding="utf-8", env=_cli_env(env))


def _python(code, *args, env=None):
    """Run ``python -c CODE ARGS`` the same way (to call gdbook.cli.main with something patched)."""
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          encoding="utf-8", env=_cli_env(env))


_run_cli.start = _start_cli
_run_cli.python = _python


@pytest.fixture
def run_cli():
    """``run_cli(*args, env=None)`` → CompletedProcess; ``run_cli.start(*args)`` → Popen;
    ``run_cli.python(code, *args)`` → CompletedProcess of ``python -c code``."""
    return _run_cli
# ================================================================ end of the CLI block
