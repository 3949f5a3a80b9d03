"""The MNIST preprocessing notebook is committed with outputs, and they are current.

The site renders it without executing it, so a stale output would be published as is.
Fix a failure with: .venv/bin/python -m gdbook.notebook
"""
import nbformat
import pytest

from gdbook import notebook as refresh


@pytest.fixture(scope="module")
def committed():
    return nbformat.read(refresh.NOTEBOOK, as_version=4)


@pytest.fixture(scope="module")
def fresh(committed):
    return refresh.execute(committed)


def test_committed_with_outputs(committed):
    code = [c for c in committed.cells if c.cell_type == "code"]
    assert sum(bool(c.outputs) for c in code) >= len(code) - 1      # only the import cell is silent
    images = [o for c in code for o in c.outputs if "image/png" in o.get("data", {})]
    assert len(images) == 2
    streams = [o for c in code for o in c.outputs if o.output_type == "stream"]
    assert all(o.name == "stdout" for o in streams), "a warning was committed"


def test_outputs_are_current(committed, fresh):
    assert refresh.stale_cells(committed, fresh) == [], "run python -m gdbook.notebook"


def test_file_is_exactly_what_refresh_writes(fresh):
    assert nbformat.writes(fresh) + "\n" == refresh.NOTEBOOK.read_text(encoding="utf-8"), \
        "run python -m gdbook.notebook"


def test_stale_outputs_are_detected(committed, fresh):
    edited = nbformat.reads(nbformat.writes(committed), as_version=4)
    first_printing = next(i for i, c in enumerate(edited.cells) if c.cell_type == "code" and c.outputs)
    edited.cells[first_printing].outputs[0].text += "stale"
    stripped = nbformat.reads(nbformat.writes(committed), as_version=4)
    for cell in stripped.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    assert refresh.stale_cells(edited, fresh) == [first_printing]
    assert len(refresh.stale_cells(stripped, fresh)) >= 5
