"""Fixtures shared by several test files.

* ``figure_set``: every catalogue figure drawn once per session, cold, into a temporary
  directory: ``(folder, results)``. The figure tests read it (and copy it before changing
  anything); the built-site fixture (tests/browser/conftest.py) puts these files in
  docs/figures/ so that the site build finds every figure fresh and draws none again.
"""
import pytest

from gdbook.figures import build


@pytest.fixture(scope="session")
def figure_set(tmp_path_factory):
    out = tmp_path_factory.mktemp("figures")
    return out, build(out, progress=lambda line: None)
