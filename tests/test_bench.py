"""scripts/bench.py still names the code it edits. It is run by hand, so a renamed page or a
figure function moved to another module would otherwise only show when someone measures."""
import importlib.util
import inspect
import shutil
from pathlib import Path

from gdbook.figures.registry import FIGURES, load

ROOT = Path(__file__).resolve().parent.parent


def _bench():
    spec = importlib.util.spec_from_file_location("bench", ROOT / "scripts" / "bench.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    return bench


def test_the_page_it_edits_exists():
    assert (ROOT / _bench().PAGE).is_file()


def test_the_figure_edit_changes_the_figure_s_drawing_function(tmp_path):
    bench = _bench()
    load()
    draw = FIGURES[bench.FIGURE_ID].draw
    assert draw.__name__ == bench.FIGURE_FUNC
    shutil.copytree(ROOT / "gdbook" / "figures", tmp_path / "gdbook" / "figures")
    bench.edit_figure(tmp_path, 1)
    edited = [p.name for p in sorted((tmp_path / "gdbook" / "figures").glob("*.py"))
              if p.read_bytes() != (ROOT / "gdbook" / "figures" / p.name).read_bytes()]
    assert edited == [Path(inspect.getsourcefile(draw)).name]
