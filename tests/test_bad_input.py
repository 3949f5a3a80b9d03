"""Every kind of bad input gets a clear Chinese message; the CLI exits 2 without a traceback."""
import math
import subprocess
import sys

import pytest

from gdbook.rules import multi_in_out_descent, multi_input_descent, multi_output_descent


def cli(*args):
    return subprocess.run([sys.executable, "-m", "gdbook", *args], capture_output=True, text=True)


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


@pytest.mark.parametrize("args, words", [
    (["run", "multi-inptu"], "multi-input"),
    (["run", "nonsense"], "可用的清单"),
    (["run", "multi-input", "--alpha", "abc"], "--alpha"),
    (["run", "multi-input", "--alpha", "0"], "大于 0"),
    (["run", "multi-input", "--alpha", "nan"], "有限"),
    (["run", "multi-input", "--iterations", "0"], "正整数"),
    (["run", "multi-input", "--iterations", "x"], "正整数"),
    (["run", "multi-input", "--iterations", "99999999"], "iterations"),
    (["run", "multi-input", "--freeze", "7"], "超出范围"),
    (["run", "multi-input", "--freeze", "??"], "--freeze"),
    (["run"], "NAME"),
    (["fly"], "fly"),
    ([], "命令"),
])
def test_cli_usage_errors_exit_2(args, words):
    result = cli(*args)
    assert result.returncode == 2
    assert words in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
