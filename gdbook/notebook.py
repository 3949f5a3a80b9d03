"""Re-execute docs/notebooks/mnist-preprocessor.ipynb and rewrite it with fresh outputs.

Run from a checkout of the repository:  .venv/bin/python -m gdbook.notebook [--check]

The site renders the notebook with mkdocs-jupyter's execution switched off, so the outputs
committed in the file are what readers see; this script keeps them current. ``--check``
executes without writing and exits 1 if the committed outputs are stale (the test suite
does the same through :func:`stale_cells`).

The written file is deterministic: cell ids are numbered, execution counts run 1, 2, 3…,
no metadata is kept but a cell's ``alt`` (the description of the picture it draws),
no timing is recorded, stream output is coalesced, and the notebook's first code
cell tells matplotlib not to stamp its version into the PNGs. The kernel is the Python
running this module (jupyter_client maps the "python3" kernel's ``python`` to sys.executable).
"""
import copy
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from gdbook.cache import write_atomic
from gdbook.cli import ChineseParser

# The notebook is a page of the site, not part of the package: it lives in the checkout.
NOTEBOOK = Path(__file__).resolve().parent.parent / "docs" / "notebooks" / "mnist-preprocessor.ipynb"
METADATA = {
    "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},   # no version number: the file should not depend on it
}


def execute(nb, timeout=120):
    """Run a copy of ``nb`` in a fresh kernel and return it, normalised."""
    nb = copy.deepcopy(nb)
    client = NotebookClient(nb, kernel_name="python3", timeout=timeout, record_timing=False,
                            coalesce_streams=True, allow_errors=False,
                            resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()
    nb.metadata = copy.deepcopy(METADATA)
    for number, cell in enumerate(nb.cells, start=1):
        cell.id = f"cell-{number:02d}"
        # only a picture's description (read by hooks/notebook_images.py); no editor state
        cell.metadata = {key: value for key, value in cell.metadata.items() if key == "alt"}
    return nb


def comparable(output):
    """What must match between two runs: the stream text, or every MIME bundle exactly."""
    if output.output_type == "stream":
        return ("stream", output.name, output.text)
    return (output.output_type, dict(output.get("data", {})))


def stale_cells(committed, fresh):
    """Indices of code cells whose committed outputs differ from a fresh run's (stripped ones too)."""
    stale = []
    for index, (old, new) in enumerate(zip(committed.cells, fresh.cells)):
        if old.cell_type != "code":
            continue
        if [comparable(o) for o in old.outputs] != [comparable(o) for o in new.outputs]:
            stale.append(index)
    return stale


def main(argv=None):
    parser = ChineseParser(prog="python -m gdbook.notebook",
                           description="重新执行 MNIST 预处理 Notebook，写回最新的输出。")
    parser.add_argument("--check", action="store_true",
                        help="只执行、不写回；输出过时就以退出码 1 结束")
    args = parser.parse_args(argv)
    committed = nbformat.read(NOTEBOOK, as_version=4)
    fresh = execute(committed)
    if args.check:
        stale = stale_cells(committed, fresh)
        print(f"过时的单元：{stale}" if stale else "Notebook 的输出是最新的")
        return 1 if stale else 0
    nbformat.validate(fresh)
    text = nbformat.writes(fresh)
    write_atomic(NOTEBOOK, (text if text.endswith("\n") else text + "\n").encode("utf-8"))
    print(f"已改写 {NOTEBOOK}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
