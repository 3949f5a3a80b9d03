"""The code a page embeds is the code that runs.

Pages show each network's update step (``*_step``, ``fast.update``, ``mnist.one_epoch``) and
fold the full function under "完整实现". These tests check that the public functions really
go through the shown step (replace it with a counting wrapper: every update must pass through
it), and that the snippet markers in gdbook/ and the pages' ``--8<--`` lines name each other.
"""
import re
from pathlib import Path

import numpy as np
import pytest

from gdbook import fast, mnist, rules

ROOT = Path(__file__).resolve().parents[1]
MARKER = re.compile(r"^\s*# --8<-- \[start:(\w+)\]", re.M)
EMBED = re.compile(r'--8<-- "(gdbook/[\w/]+\.py):(\w+)"')


def counting(monkeypatch, module, name):
    """Replace ``module.name`` by a wrapper that counts its calls; returns the call list."""
    calls, original = [], getattr(module, name)

    def wrapper(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, wrapper)
    return calls


@pytest.mark.parametrize("descent, step, args", [
    ("multi_input_descent", "multi_input_step", ([8.5, 0.65, 1.2], [0.1, 0.2, -0.1], 1)),
    ("multi_output_descent", "multi_output_step", (0.65, [0.3, 0.2, 0.9], [0.1, 1, 0.1])),
    ("multi_in_out_descent", "multi_in_out_step",
     ([8.5, 0.65], [[0.1, 0.1], [0.1, 0.2]], [0.1, 1])),
])
def test_each_descent_runs_the_step_the_page_shows(monkeypatch, descent, step, args):
    calls = counting(monkeypatch, rules, step)
    run = getattr(rules, descent)(*args, 0.01, 4, frozen=[1])
    assert len(calls) == len(run.steps) == 4
    assert [c[1] for c in calls] == [s.weights for s in run.steps]   # each from the last one


def test_the_numpy_paths_run_update(monkeypatch):
    calls = counting(monkeypatch, fast, "update")
    fast.descend([1.0, 2.0], [[0.0, 0.0]], [1.0], 0.1, 3)
    assert len(calls) == 3


def test_the_mnist_trainer_runs_one_epoch_and_update(monkeypatch):
    epochs = counting(monkeypatch, mnist, "one_epoch")
    updates = counting(monkeypatch, mnist, "update")
    images = np.eye(3, 4)
    mnist.descend_epochs(images, np.eye(3, 2), np.zeros((2, 4)), 0.1, 2)
    assert len(epochs) == 2 and len(updates) == 2 * len(images)


def test_every_snippet_marker_is_embedded_and_every_embed_has_its_marker():
    markers = {(str(path.relative_to(ROOT)), name)
               for path in (ROOT / "gdbook").rglob("*.py")
               for name in MARKER.findall(path.read_text(encoding="utf-8"))}
    embeds = {match.groups() for page in (ROOT / "docs").rglob("*.md")
              for match in EMBED.finditer(page.read_text(encoding="utf-8"))}
    assert markers - embeds == set(), "markers no page embeds"
    assert embeds - markers == set(), "embeds without a marker"
