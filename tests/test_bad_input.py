"""Every kind of bad input to the teaching API gets a clear Chinese message (CLI: test_cli.py)."""
import math

import pytest

from gdbook import checks
from gdbook.checks import UsageError
from gdbook.rules import multi_in_out_descent, multi_input_descent, multi_output_descent


@pytest.mark.parametrize("args, error, words", [
    (([1.0, 2.0], [0.1], 1, 0.1, 1), ValueError, "一样长"),
    (([], [], 1, 0.1, 1), ValueError, "空的"),
    (([1.0, math.nan], [0.1, 0.2], 1, 0.1, 1), ValueError, "NaN"),
    (([1.0, 2.0], [0.1, math.inf], 1, 0.1, 1), ValueError, "有限"),
    (([1.0, "2"], [0.1, 0.2], 1, 0.1, 1), TypeError, "必须是数字"),
    (([1.0, True], [0.1, 0.2], 1, 0.1, 1), TypeError, "必须是数字"),
    (("12", [0.1, 0.2], 1, 0.1, 1), TypeError, "一串数字"),
    (([1.0], [0.1], math.nan, 0.1, 1), ValueError, "target"),
    (([1.0], [0.1], 1, 0.0, 1), ValueError, "alpha"),
    (([1.0], [0.1], 1, -0.5, 1), ValueError, "大于 0"),
    (([1.0], [0.1], 1, math.inf, 1), ValueError, "alpha"),
    (([1.0], [0.1], 1, 0.1, 0), ValueError, "iterations"),
    (([1.0], [0.1], 1, 0.1, 10 ** 9), ValueError, "iterations"),
    (([1.0], [0.1], 1, 0.1, 2.5), TypeError, "整数"),
])
def test_multi_input_rejects(args, error, words):
    with pytest.raises(error, match=words):
        multi_input_descent(*args)


def test_frozen_index_out_of_range():
    with pytest.raises(ValueError, match="0 到 1 之间的整数，收到 2"):
        multi_input_descent([1.0, 2.0], [0.1, 0.2], 1, 0.1, 1, frozen=[2])
    with pytest.raises(ValueError, match="0 到 1 之间的整数，收到 -1"):
        multi_output_descent(1.0, [0.1, 0.2], [1, 0], 0.1, 1, frozen=[-1])


def test_matrix_shape_errors():
    with pytest.raises(ValueError, match="必须有 2 行"):
        multi_in_out_descent([1.0, 2.0], [[0.1, 0.2]], [1, 0], 0.1, 1)
    with pytest.raises(ValueError, match="必须与输入一样有 2 个"):
        multi_in_out_descent([1.0, 2.0], [[0.1, 0.2], [0.3]], [1, 0], 0.1, 1)
    with pytest.raises(ValueError, match="一样长"):
        multi_output_descent(1.0, [0.1, 0.2], [1, 0, 1], 0.1, 1)


def test_usage_errors_are_their_own_type():
    """The CLI catches only UsageError; it is still a ValueError (or TypeError) for API users."""
    with pytest.raises(UsageError):
        multi_input_descent([1.0], [0.1], 1, -1, 1)
    with pytest.raises(UsageError):
        multi_input_descent(["x"], [0.1], 1, 0.1, 1)
    with pytest.raises(TypeError):
        multi_input_descent(["x"], [0.1], 1, 0.1, 1)


@pytest.mark.parametrize("call, message", [
    (lambda: checks.alpha(-1), "alpha 必须大于 0，收到 -1。"),
    (lambda: checks.alpha(float("-inf"), "--alpha"), "--alpha 必须大于 0，收到 -inf。"),
    (lambda: checks.alpha(float("inf")), "alpha 必须是有限的数（不能是 NaN 或无穷大），收到 inf。"),
    (lambda: checks.count(0, "--iterations", 100000), "--iterations 必须是 1 到 100000 之间的整数，收到 0。"),
    (lambda: checks.count(1001, "epochs", 1000), "epochs 必须是 1 到 1000 之间的整数，收到 1001。"),
    (lambda: checks.frozen([3], 3), "frozen 里权重的下标必须是 0 到 2 之间的整数，收到 3。"),
])
def test_one_message_style_for_ranges(call, message):
    with pytest.raises(UsageError) as caught:
        call()
    assert str(caught.value) == message
