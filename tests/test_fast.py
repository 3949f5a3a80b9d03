"""The NumPy path agrees with the pure-Python rules on many random cases."""
import random

import numpy as np
import pytest

from gdbook import fast
from gdbook.rules import multi_in_out_descent, multi_input_descent, multi_output_descent

CASES = range(200)


def _case(seed):
    rng = random.Random(seed)
    n_in, n_out = rng.randint(1, 6), rng.randint(1, 5)
    x = [rng.uniform(-2, 2) for _ in range(n_in)]
    W = [[rng.uniform(-1, 1) for _ in range(n_in)] for _ in range(n_out)]
    y = [rng.uniform(-1, 1) for _ in range(n_out)]
    frozen = sorted(rng.sample(range(n_in), rng.randint(0, n_in - 1)))
    energy = sum(v * v for v in x) or 1.0
    alpha = rng.uniform(0.05, 0.9) / energy        # inside the stable range
    return rng, x, W, y, frozen, alpha, rng.randint(1, 8)


def _close(a, b):
    assert np.allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float), rtol=0, atol=1e-12)


@pytest.mark.parametrize("seed", CASES)
def test_multi_in_out_agrees(seed):
    _, x, W, y, frozen, alpha, n = _case(seed)
    run = multi_in_out_descent(x, W, y, alpha, n, frozen)
    trace = fast.descend(x, W, y, alpha, n, frozen)
    for k, step in enumerate(run.steps):
        _close(step.pred, trace.pred[k])
        _close(step.error, trace.error[k])
        _close(step.weight_deltas, trace.weight_deltas[k])
        _close(step.weights_after, trace.weights[k + 1])


@pytest.mark.parametrize("seed", CASES)
def test_multi_input_agrees(seed):
    _, x, W, y, frozen, alpha, n = _case(seed)
    run = multi_input_descent(x, W[0], y[0], alpha, n, frozen)
    trace = fast.descend(x, [W[0]], [y[0]], alpha, n, frozen)
    _close([s.pred for s in run.steps], trace.pred[:, 0])
    _close([s.weights_after for s in run.steps], trace.weights[1:, 0])


@pytest.mark.parametrize("seed", CASES)
def test_multi_output_agrees(seed):
    rng, _, W, y, _, _, n = _case(seed)
    x = rng.uniform(-2, 2)
    frozen = sorted(rng.sample(range(len(y)), rng.randint(0, len(y) - 1)))
    weights = [row[0] for row in W]
    run = multi_output_descent(x, weights, y, 0.5 / max(x * x, 1e-3), n, frozen)
    trace = fast.descend([x], [[w] for w in weights], y, 0.5 / max(x * x, 1e-3), n,
                         frozen_outputs=frozen)
    _close([s.delta for s in run.steps], trace.delta)
    _close([s.weights_after for s in run.steps], trace.weights[1:, :, 0])


def test_error_curve_passes_through_the_current_error():
    x, W, y = [8.5, 0.65, 1.2], [[0.1, 0.2, -0.1]], [1.0]
    run = multi_input_descent(x, W[0], y[0], 0.01, 1)
    for i in range(3):
        curve = fast.error_curve(x, W, y, 0, i, [W[0][i]])
        assert abs(curve[0] - run.steps[0].error) < 1e-15
