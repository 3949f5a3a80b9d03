"""The four listings reproduce the book's numbers, byte for byte."""
import json
import pathlib

import pytest

from gdbook.listings import LISTINGS, format_run, run_listing, run_to_dict

GOLDEN = pathlib.Path(__file__).parent / "golden"


@pytest.mark.parametrize("name", ["multi-input", "freeze-a", "multi-output"])
def test_cli_prints_the_book_byte_for_byte(name, run_cli):
    result = run_cli("run", name)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (GOLDEN / f"{name}.txt").read_text()
    assert result.stderr == ""


def test_first_lines_quoted_in_the_spec():
    quoted = """Iteration:1
Pred:0.8600000000000001
Error:0.01959999999999997
Delta:-0.1399999999999999
Weights:[0.1, 0.2, -0.1]
Weight_Deltas:
[-1.189999999999999, -0.09099999999999994, -0.16799999999999987]
"""
    assert format_run(run_listing("multi-input")).startswith(quoted)


def _reference_multi_input(alpha, frozen_a):
    """A second, straight-line computation of sections 1–2 (independent of gdbook)."""
    inp, w, true = [8.5, 0.65, 1.2], [0.1, 0.2, -0.1], 1
    out = ""
    for it in range(3):
        pred = 0
        for i in range(3):
            pred += inp[i] * w[i]
        error, delta = (pred - true) ** 2, pred - true
        wd = [delta * x for x in inp]
        if frozen_a:
            wd[0] = 0
        out += (f"Iteration:{it + 1}\nPred:{pred}\nError:{error}\nDelta:{delta}\n"
                f"Weights:{w}\nWeight_Deltas:\n{wd}\n\n")
        w = [w[i] - alpha * wd[i] for i in range(3)]
    return out


def test_matches_independent_recomputation():
    assert format_run(run_listing("multi-input")) == _reference_multi_input(0.01, False)
    assert format_run(run_listing("freeze-a")) == _reference_multi_input(0.3, True)


def test_multi_in_out_weights_after_update(run_cli):
    inp, delta = [8.5, 0.65, 1.2], None
    W = [[0.1, 0.1, -0.3], [0.1, 0.2, 0.0], [0.0, 1.3, 0.1]]
    true = [0.1, 1, 0.1]
    pred = [W[i][0] * inp[0] + W[i][1] * inp[1] + W[i][2] * inp[2] for i in range(3)]
    delta = [pred[i] - true[i] for i in range(3)]
    expected = [[W[i][j] - 0.01 * (delta[i] * inp[j]) for j in range(3)] for i in range(3)]
    result = run_cli("run", "multi-in-out")
    assert result.returncode == 0
    assert result.stdout == "Weights:\n" + "".join(f"{row}\n" for row in expected)


@pytest.mark.parametrize("name", list(LISTINGS))
def test_json_carries_the_same_values(name, run_cli):
    result = run_cli("run", name, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data == json.loads(json.dumps(run_to_dict(name, run_listing(name))))
    assert set(data) == {"listing", "alpha", "iterations", "frozen", "steps", "diverged"}
    step = data["steps"][0]
    assert set(step) == {"pred", "error", "delta", "weights", "weight_deltas", "weights_after"}
    assert data["diverged"] is None


def test_json_of_multi_input_has_the_book_values(run_cli):
    data = json.loads(run_cli("run", "multi-input", "--json").stdout)
    assert data["steps"][0]["pred"] == 0.8600000000000001
    assert data["steps"][0]["weight_deltas"] == [-1.189999999999999, -0.09099999999999994,
                                                 -0.16799999999999987]
    assert data["frozen"] == [] and data["alpha"] == 0.01 and len(data["steps"]) == 3


def test_freeze_option_overrides_and_accepts_names(run_cli):
    by_name = json.loads(run_cli("run", "multi-input", "--freeze", "b", "--json").stdout)
    by_index = json.loads(run_cli("run", "multi-input", "--freeze", "1", "--json").stdout)
    assert by_name == by_index
    assert by_name["frozen"] == [1]
    assert all(s["weight_deltas"][1] == 0 for s in by_name["steps"])
    assert by_name["steps"][-1]["weights_after"][1] == 0.2


def test_list_names_every_listing_with_its_section(run_cli):
    out = run_cli("list").stdout
    for listing in LISTINGS.values():
        assert listing.name in out and f"第 {listing.section} 节" in out


@pytest.mark.parametrize("name", list(LISTINGS))
def test_squaring_by_multiplication_matches_the_books_power(name):
    """gdbook squares with d * d; the book wrote d ** 2. On the book's parameters they agree."""
    for step in run_listing(name).steps:
        deltas = step.delta if isinstance(step.delta, list) else [step.delta]
        errors = step.error if isinstance(step.error, list) else [step.error]
        assert [d ** 2 for d in deltas] == errors
