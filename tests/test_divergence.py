"""Learning that blows up is marked, explained, and never ends in a traceback."""
import json

from gdbook.listings import run_listing
from gdbook.rules import multi_input_descent, multi_output_descent


def test_book_alpha_converges():
    run = run_listing("multi-input")
    errors = [s.error for s in run.steps]
    assert errors == sorted(errors, reverse=True) and run.diverged is None


def test_alpha_0_1_diverges_and_blames_the_largest_input():
    run = run_listing("multi-input", alpha=0.1)
    assert run.diverged is not None and run.diverged.iteration == 2
    assert run.diverged.largest_input == 0            # toes = 8.5
    assert run.diverged.overflow_at is None
    assert len(run.steps) == 3                        # every step is still recorded
    energy = 8.5 ** 2 + 0.65 ** 2 + 1.2 ** 2
    assert abs(run.diverged.critical_alpha - 2 / energy) < 1e-15
    assert run.diverged.suggested_alpha <= 1 / energy


def test_suggested_alpha_converges():
    bad = run_listing("multi-input", alpha=0.1, iterations=20)
    good = run_listing("multi-input", alpha=bad.diverged.suggested_alpha, iterations=20)
    assert good.diverged is None and good.steps[-1].error < 1e-10


def test_freezing_the_largest_input_changes_the_blame_and_the_limit():
    run = multi_input_descent([8.5, 0.65, 1.2], [0.1, 0.2, -0.1], 1, 2.0, 5, frozen=[0])
    assert run.diverged.largest_input == 2
    assert abs(run.diverged.critical_alpha - 2 / (0.65 ** 2 + 1.2 ** 2)) < 1e-15


def test_overflow_stops_with_only_finite_numbers():
    run = run_listing("multi-input", alpha=0.1, iterations=1000)
    assert run.diverged.overflow_at is not None and run.diverged.iteration == 2
    assert len(run.steps) == run.diverged.overflow_at - 1
    assert all(abs(w) < float("inf") for w in run.steps[-1].weights_after)


def test_multi_output_divergence():
    run = multi_output_descent(3.0, [0.3, 0.2, 0.9], [0.1, 1, 0.1], 0.5, 4)
    assert run.diverged is not None and run.diverged.iteration == 2


def test_multi_output_limit_is_per_output():
    """Each output has one weight on the same input: the limit is 2 / input², not 2 / (3·input²)."""
    limit = 2 / 0.65 ** 2
    below = multi_output_descent(0.65, [0.3, 0.2, 0.9], [0.1, 1, 0.1], 0.99 * limit, 6)
    above = multi_output_descent(0.65, [0.3, 0.2, 0.9], [0.1, 1, 0.1], 1.01 * limit, 6)
    assert below.diverged is None
    assert above.diverged is not None
    assert abs(above.diverged.critical_alpha - limit) < 1e-12
    assert above.diverged.suggested_alpha <= limit / 2


def test_cli_explains_in_chinese_on_stderr_and_still_prints_steps(run_cli):
    result = run_cli("run", "multi-input", "--alpha", "0.1")
    assert result.returncode == 0
    assert result.stdout.count("Iteration:") == 3
    assert "发散" in result.stderr and "toes" in result.stderr and "--alpha 0.01" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_overflow_exits_1_with_explanation_and_valid_json(run_cli):
    result = run_cli("run", "multi-input", "--alpha", "0.1", "--iterations", "1000", "--json")
    assert result.returncode == 1
    assert "溢出" in result.stderr and "Traceback" not in result.stderr
    data = json.loads(result.stdout)                 # strict JSON: no Infinity/NaN
    assert data["diverged"]["overflow_at"] == len(data["steps"]) + 1


def test_total_error_overflow_is_divergence_not_a_crash(run_cli):
    """Finite errors whose sum overflows (found by the in-page panel's tests)."""
    result = run_cli("run", "multi-output", "--alpha", "2.754228703338152e+77", "--iterations", "3")
    assert "Traceback" not in result.stderr
    assert "发散" in result.stderr


def test_single_input_explanation_does_not_speak_of_a_largest_input(run_cli):
    result = run_cli("run", "multi-output", "--alpha", "5", "--iterations", "3")
    assert "发散" in result.stderr and "2 / 输入的平方" in result.stderr
    assert "最大" not in result.stderr and "--alpha 2" in result.stderr
