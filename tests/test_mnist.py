"""The 784→10 network: two independent trainers agree, it learns, its cache, its CLI."""
import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from gdbook import mnist
from gdbook.cache import CACHE_ENV
from gdbook.datasets import load_mnist, one_hot


@pytest.fixture(scope="module")
def default_result():
    return mnist.train()


def test_numpy_trainer_equals_book_trainer():
    images, labels = load_mnist(limit=12)
    targets = one_hot(labels, 10)
    start = np.random.default_rng(0).uniform(-0.1, 0.1, (10, 784))
    fast_w, fast_err = mnist.descend_epochs(images, targets, start, 0.01, 3)
    slow_w, slow_err = mnist.descend_epochs_python(images.tolist(), targets.tolist(),
                                                   start.tolist(), 0.01, 3)
    assert np.abs(fast_w - np.array(slow_w)).max() < 1e-12
    assert np.allclose(fast_err, slow_err, rtol=0, atol=1e-12)
    assert np.abs(fast_w - start).max() > 0.01           # the weights really moved
    assert fast_err[-1] < fast_err[0]


def test_one_step_by_hand():
    """The first update from zeros: pred = 0, so delta = -target and W = alpha * outer(target, x)."""
    images, labels = load_mnist(limit=1)
    w, errors = mnist.descend_epochs(images, one_hot(labels, 10), np.zeros((10, 784)), 0.5, 1)
    assert errors == [1.0]
    assert np.array_equal(w[5], 0.5 * images[0]) and not w[[0, 1, 2, 3, 4, 6, 7, 8, 9]].any()


def test_learns_well_above_chance(default_result):
    r = default_result
    assert (r.alpha, r.epochs) == (mnist.DEFAULT_ALPHA, mnist.DEFAULT_EPOCHS)
    assert r.weights.shape == (10, 784) and len(r.train_error) == r.epochs
    assert r.test_accuracy > 0.7 and r.train_accuracy > 0.8     # chance is 0.1
    assert all(a > b for a, b in zip(r.train_error, r.train_error[1:]))


def test_accuracies_recomputed_one_image_at_a_time(default_result):
    for split, reported in (("train", default_result.train_accuracy),
                            ("test", default_result.test_accuracy)):
        images, labels = load_mnist(split)
        right = sum(int(np.argmax(default_result.weights @ x)) == y for x, y in zip(images, labels))
        assert right / len(labels) == reported


def test_progress_reports_every_epoch():
    seen = []
    result = mnist.train(epochs=3, progress=lambda epoch, error: seen.append((epoch, error)))
    assert seen == list(zip([1, 2, 3], result.train_error))


def test_too_large_alpha_is_explained():
    with pytest.raises(mnist.DivergedError, match="alpha=1.0 太大.*0.0093"):
        mnist.train(alpha=1.0, epochs=1)


@pytest.mark.parametrize("alpha, epochs, words", [
    (0, 1, "alpha"), (-0.1, 1, "alpha"), (float("nan"), 1, "alpha"), ("0.1", 1, "alpha"),
    (0.001, 0, "epochs"), (0.001, 1001, "epochs"), (0.001, 2.0, "epochs"), (0.001, True, "epochs"),
])
def test_bad_settings(alpha, epochs, words):
    with pytest.raises(ValueError, match=words):
        mnist.train(alpha, epochs)


# ---------------------------------------------------------------- the disk cache

@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    return tmp_path


def test_cache_miss_then_hit(cache_dir, monkeypatch):
    first = mnist.trained_weights(epochs=2)
    path = mnist.cache_path(epochs=2)
    assert path.parent == cache_dir / "mnist" and path.is_file()
    assert np.array_equal(first, mnist.train(epochs=2).weights)

    def no_training(*args, **kwargs):
        raise AssertionError("a cache hit must not train")

    monkeypatch.setattr(mnist, "train", no_training)
    assert np.array_equal(mnist.trained_weights(epochs=2), first)
    assert [p.name for p in (cache_dir / "mnist").iterdir()] == [path.name]   # no temp files left


def test_cache_key_depends_on_settings(cache_dir):
    paths = {mnist.cache_path(0.001, 2), mnist.cache_path(0.002, 2), mnist.cache_path(0.001, 3)}
    assert len(paths) == 3


@pytest.mark.parametrize("damage", ["garbage", "truncated", "wrong shape"])
def test_corrupt_cache_is_recomputed(cache_dir, damage):
    expected = mnist.trained_weights(epochs=1)
    path = mnist.cache_path(epochs=1)
    if damage == "garbage":
        path.write_bytes(b"\x93NUMPY garbage")
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:5000])
    else:
        np.save(path, np.zeros((3, 3)))
    assert np.array_equal(mnist.trained_weights(epochs=1), expected)
    assert np.array_equal(np.load(path), expected)          # and the file is repaired


# ---------------------------------------------------------------- the CLI


def test_cli_json(default_result, run_cli):
    done = run_cli("run", "mnist", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert set(data) == {"listing", "alpha", "epochs", "train_error", "train_accuracy",
                         "test_accuracy"}
    assert data["listing"] == "mnist"
    assert data["train_error"] == default_result.train_error
    assert data["test_accuracy"] == default_result.test_accuracy
    assert done.stderr.count("平均误差") == mnist.DEFAULT_EPOCHS     # progress goes to stderr


def test_cli_text(run_cli):
    done = run_cli("run", "mnist", "--epochs", "2", "--alpha", "0.002")
    assert done.returncode == 0, done.stderr
    result = mnist.train(0.002, 2)
    assert done.stdout.count("平均误差") == 2
    assert f"测试集准确率 {result.test_accuracy:.1%}" in done.stdout


@pytest.mark.parametrize("args, code, words", [
    (["run", "mnist", "--freeze", "a"], 2, "--freeze"),
    (["run", "mnist", "--iterations", "3"], 2, "--iterations"),
    (["run", "multi-input", "--epochs", "3"], 2, "只用于 mnist"),
    (["run", "mnist", "--epochs", "0"], 2, "1 到 1000 之间的整数"),
    (["run", "mnist", "--epochs", "2000"], 2, "1 到 1000"),
    (["run", "mnist", "--alpha", "1", "--epochs", "1"], 1, "太大"),
])
def test_cli_errors(args, code, words, run_cli):
    done = run_cli(*args)
    assert done.returncode == code
    assert words in done.stderr and "Traceback" not in done.stderr


def test_cli_stops_at_the_first_exploding_epoch(run_cli):
    """An exercise runs --alpha 0.05: the explanation, exit 1, and no 150-digit numbers."""
    done = run_cli("run", "mnist", "--alpha", "0.05")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "第 1 轮" in done.stderr and "太大" in done.stderr and "平均误差" not in done.stdout
    assert not re.search(r"\d{12}", done.stdout + done.stderr)


def test_exploding_but_finite_error_stops_training():
    images, labels = load_mnist(limit=50)
    with pytest.raises(mnist.DivergedError, match=r"第 2 轮平均误差 [0-9.]+e\+"):
        mnist.descend_epochs(images, one_hot(labels, 10), np.zeros((10, 784)), 0.05, 3)


def test_data_and_network_layers_do_not_import_matplotlib():
    code = "import sys, gdbook.mnist, gdbook.datasets; print('matplotlib' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "False", done.stderr


def test_default_cache_is_in_the_repository(monkeypatch):
    monkeypatch.delenv(CACHE_ENV, raising=False)
    repo = Path(mnist.__file__).resolve().parent.parent
    assert mnist.cache_path().parent == repo / ".gdbook-cache" / "mnist"


def test_cli_list_mentions_mnist(run_cli):
    done = run_cli("list")
    assert done.returncode == 0
    assert any(line.startswith("mnist") and "第 5 节" in line for line in done.stdout.splitlines())
