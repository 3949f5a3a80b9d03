"""The page's engine (docs/javascripts/gdbook-engine.mjs), run by Node, agrees with Python.

One Node process per test answers a batch of questions (tests/js/parity.mjs): the panel's
cases and a few hundred random settings (alpha, iterations, frozen weights; divergence and
overflow included), Python-style printing of random doubles, the nice alpha and math.fsum.
Python's side is the CLI itself, called in-process (``gdbook.cli.main``); a few cases also go
through a real ``python -m gdbook`` process to show that the two are the same. The chapter
data reaches Node only through the module that gdbook.pagedata writes for the page.
"""
import contextlib
import dataclasses
import io
import json
import math
import random
import shlex
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from gdbook import cli, listings
from gdbook.listings import LISTINGS, command_line, format_run
from gdbook.pagedata import PAGE_DATA_PATH, write_page_data
from gdbook.rules import _nice_alpha_below

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tests" / "js" / "parity.mjs"
SEED = 20240511

# The panel cases: (listing, alpha, iterations, frozen); None keeps the book's value.
PANEL_CASES = [
    ("multi-input", None, None, None), ("freeze-a", None, None, None),
    ("multi-output", None, None, None), ("multi-in-out", None, None, None),
    ("multi-input", 0.1, None, None),            # diverges at iteration 2
    ("multi-input", 0.1, 1000, None),            # overflows
    ("multi-input", None, None, [1]),
    ("freeze-a", None, 20, None),
    ("freeze-a", 0.02, 200, [0, 2]),
    ("freeze-a", 2.0, None, [1]),                 # issue 15: the hint keeps --freeze b
    ("freeze-a", 0.3, 5, []),                     # nothing frozen: run as multi-input
    ("multi-output", 0.5, 10, [1]),
    ("multi-output", 3.0, 50, None),
    ("multi-output", 5.0, 20, None),
    ("multi-in-out", 0.3, 200, [1]),
    ("multi-in-out", 0.01, 30, [0, 2]),
    ("freeze-a", 0.05, 1000, [0, 2]),             # libm pow() and d * d differ here
    ("multi-input", 1e300, 3, None),              # overflow in the very first step
]


def bits(x):
    return struct.pack(">d", x).hex()


def from_bits(hex_text):
    return struct.unpack(">d", bytes.fromhex(hex_text))[0]


@pytest.fixture(scope="module")
def node():
    found = shutil.which("node")
    if found is None:
        pytest.fail("node (Node.js ≥ 18) is needed to test the page's engine", pytrace=False)
    return found


def ask_node(node, docs_dir, request):
    """Write the page data into docs_dir, run tests/js/parity.mjs on it, return its answer."""
    write_page_data(docs_dir)
    result = subprocess.run([node, str(SCRIPT), str(Path(docs_dir) / PAGE_DATA_PATH)],
                            input=json.dumps(request), capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def run_cli_in_process(argv):
    """gdbook.cli.main(argv) with its stdout and stderr captured: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(argv)
    return code, out.getvalue(), err.getvalue()


def random_runs(rng, count):
    """Settings a reader could give the panel, biased towards divergence and overflow."""
    runs = []
    for _ in range(count):
        name = rng.choice(list(LISTINGS))
        n = len(LISTINGS[name].freeze_names)
        frozen = sorted(rng.sample(range(n), rng.randint(0, n)))
        alpha = float(f"{10 ** rng.uniform(-4, 3):.{rng.randint(1, 17)}g}")
        if rng.random() < 0.05:
            alpha = 10.0 ** rng.randint(100, 308)
        iterations = rng.choice([rng.randint(1, 10), rng.randint(1, 120), rng.randint(1, 120), 1000]
                                if rng.random() < 0.08 else [rng.randint(1, 10), rng.randint(1, 60)])
        runs.append({"name": name, "alpha": alpha, "iterations": iterations, "frozen": frozen})
    return runs


def random_doubles(rng, count):
    values = [0.0, -0.0, math.inf, -math.inf, math.nan, 5e-324, -5e-324, 2.2250738585072014e-308,
              2.225073858507201e-308, 1.7976931348623157e308, 1e16, 9999999999999998.0, 1e-4,
              0.0001, 9.9999e-5, 0.5, 2.5, 0.125, 1.5, 999999.5, 9.5, 0.95, 1e22, 1e23]
    for _ in range(count):
        kind = rng.random()
        if kind < 0.4:        # any bit pattern: every exponent, subnormals, NaNs
            values.append(from_bits(f"{rng.getrandbits(64):016x}"))
        elif kind < 0.7:      # exact binary fractions: decimal ties at some precision
            values.append(rng.choice([1, -1]) * rng.randint(1, 2 ** 20) / 2 ** rng.randint(1, 40))
        else:                 # numbers like the panel's
            values.append(rng.choice([1, -1]) * 10 ** rng.uniform(-8, 8))
    return values


def random_limits(rng, count):
    """Limits 1 / Σx² a page can meet. Not beyond 1e20: Python's ``10.0 ** 23`` comes from the C
    library's pow(), which (glibc) is one unit off the correctly rounded 1e23 there and at 1e210."""
    limits = [10.0 ** k for k in range(-20, 21)]
    limits += [math.nextafter(x, 0) for x in limits] + [math.nextafter(x, math.inf) for x in limits]
    limits += [m * 10.0 ** k for m in (2, 5) for k in range(-20, 20)]
    limits += [10 ** rng.uniform(-20, 20) for _ in range(count)]
    return limits


def random_sums(rng, count):
    sums = [[1.7e308, 1.7e308], [1e308, 1e308, -1e308], [1e100, 1.0, -1e100], [0.1] * 10,
            [1.0, 1e-16, 1e-16], [-0.0, -0.0], [],
            # ties between partials (from CPython's test_math): the half-even correction
            [1e16, 1.0, 1e-16], [2.0 ** 53, -0.5, -2.0 ** -54], [2.0 ** 53, 1.0, 2.0 ** -100],
            [2.0 ** 53 + 10.0, 1.0, 2.0 ** -100], [2.0 ** 53 - 4.0, 0.5, 2.0 ** -54]]
    for _ in range(count):
        sums.append([rng.choice([1, -1]) * 10 ** rng.uniform(-20, 308) for _ in range(rng.randint(1, 6))])
    return sums


def python_fsum_total(values):
    """What rules._total makes of a sum: math.fsum, inf where it raises OverflowError."""
    try:
        return math.fsum(values)
    except OverflowError:
        return math.inf


def test_engine_prints_what_the_cli_prints(node, tmp_path):
    rng = random.Random(SEED)
    runs = [{"name": n, "alpha": a, "iterations": i, "frozen": f} for n, a, i, f in PANEL_CASES]
    runs += random_runs(rng, 300)
    answer = ask_node(node, tmp_path, {"runs": runs, "doubles": [], "precisions": [],
                                       "limits": [], "sums": []})
    diverged = overflowed = 0
    for case, got in zip(runs, answer["runs"]):
        listing = LISTINGS[case["name"]]
        alpha = listing.alpha if case["alpha"] is None else case["alpha"]
        iterations = listing.iterations if case["iterations"] is None else case["iterations"]
        frozen = listing.frozen if case["frozen"] is None else tuple(case["frozen"])
        # the command the panel shows is the one rule of gdbook.listings …
        assert got["command"] == command_line(case["name"], alpha, iterations, frozen), case
        # … and running it gives the panel's printout, numbers and explanation
        argv = shlex.split(got["command"])[3:]
        code, stdout, stderr = run_cli_in_process(argv)
        assert got["stdout"] == stdout, case
        code, as_json, _ = run_cli_in_process(argv + ["--json"])
        assert got["json"] + "\n" == as_json, case
        if got["explanation"] is None:
            assert stderr == "", case
        else:
            assert got["explanation"] + "\n" == stderr, case
            diverged += 1
            overflowed += code == 1
    # the random cases really reach the interesting branches
    assert diverged > 50 and overflowed > 10, (diverged, overflowed)


def test_the_real_cli_is_what_the_test_calls_in_process():
    commands = [command_line("multi-input", 0.01, 3, ()),
                command_line("freeze-a", 2.0, 3, (1,)),
                command_line("multi-in-out", 0.3, 200, (1,))]
    processes = [subprocess.Popen([sys.executable, *shlex.split(c)[1:], *extra], cwd=ROOT, text=True,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                 for c in commands for extra in ([], ["--json"])]
    for process, (command, extra) in zip(processes, [(c, e) for c in commands for e in ([], ["--json"])]):
        stdout, stderr = process.communicate()
        assert (process.returncode, stdout, stderr) == run_cli_in_process(shlex.split(command)[3:] + extra)
    assert process.returncode == 1 and "溢出" in stderr     # the last one overflows


def test_python_number_printing(node, tmp_path):
    rng = random.Random(SEED + 1)
    doubles = random_doubles(rng, 3000)
    precisions = [6, 4, 1, 2, 3, 10, 17]
    limits = random_limits(rng, 500)
    sums = random_sums(rng, 500)
    answer = ask_node(node, tmp_path, {"runs": [], "doubles": [bits(x) for x in doubles],
                                       "precisions": precisions, "limits": [bits(x) for x in limits],
                                       "sums": [[bits(x) for x in s] for s in sums]})
    for x, got in zip(doubles, answer["printed"]):
        assert got == [repr(x)] + [format(x, f".{p}g") for p in precisions], x.hex()
    for limit, got in zip(limits, answer["nice"]):
        assert from_bits(got) == _nice_alpha_below(limit), limit
    for values, got in zip(sums, answer["sums"]):
        assert bits(python_fsum_total(values)) == got, values


def test_editing_a_listing_changes_the_panel(node, tmp_path, monkeypatch):
    """Change multi-input's alpha, weights and data in gdbook.listings: the page follows."""
    original = LISTINGS["multi-input"]
    edited = dataclasses.replace(original, alpha=0.02, weights=[0.3, -0.2, 0.1],
                                 inputs=[7.5, 0.65, 1.2])
    monkeypatch.setitem(LISTINGS, "multi-input", edited)
    monkeypatch.setitem(listings.DIVERGENCE_TEXT, "grew", "第 {iteration} 次迭代的误差比上一次大。")
    book = {"name": "multi-input", "alpha": None, "iterations": None, "frozen": None}
    answer = ask_node(node, tmp_path, {"runs": [book, dict(book, alpha=0.1)], "doubles": [],
                                       "precisions": [], "limits": [], "sums": []})
    page, diverging = answer["runs"]
    assert page["command"] == "python -m gdbook run multi-input --alpha 0.02"
    assert page["stdout"] == format_run(edited.run())
    assert page["stdout"] != format_run(original.run())
    assert "Weights:[0.3, -0.2, 0.1]" in page["stdout"]
    assert diverging["explanation"].startswith("第 2 次迭代的误差比上一次大。")
    assert "（值 7.5）" in diverging["explanation"]


def test_page_data_is_written_once_and_is_deterministic(tmp_path):
    """Same bytes on every build, and no write when nothing changed (mkdocs serve must not loop)."""
    assert write_page_data(tmp_path) is True
    first = (tmp_path / PAGE_DATA_PATH).read_bytes()
    assert write_page_data(tmp_path) is False
    assert (tmp_path / PAGE_DATA_PATH).read_bytes() == first
    header, body = first.decode("utf-8").split("export default ", 1)
    assert "Do not edit" in header

    def no_constants(name):                        # NaN, Infinity: not JSON, not what Python had
        raise AssertionError(f"{name} in the page data")
    json.loads(body.rstrip().removesuffix(";"), parse_constant=no_constants)
