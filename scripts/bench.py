#!/usr/bin/env python3
"""Benchmark for issue 7: build times, `mkdocs serve` reloads, the MNIST trainer, page weight.

    python scripts/bench.py                 # everything (~3 min on 2 cores)
    python scripts/bench.py --only training --runs 9
    python scripts/bench.py --json build/bench.json --keep

It is a benchmark, not a test: it prints a table (measure, value, goal, pass/fail) and writes
JSON; nothing in the test suite times anything. Values are medians of --runs runs, and every
ratio compares numbers measured in the same process, in interleaved rounds.

Builds run in a fresh `git clone` of this repository's HEAD (commit your changes first) in a
temporary directory, with this interpreter's packages (run it with .venv/bin/python), the
clone first on PYTHONPATH, and empty caches: GDBOOK_CACHE_DIR (figures, MNIST weights,
search segmentation, Jinja bytecode), TMPDIR (jieba's own dictionary cache) and MPLCONFIGDIR
(matplotlib's font list) all start empty for each cold build.

* cold: `python -m mkdocs build --strict` in a new clone (every figure drawn, the notebook
  page rendered from its committed outputs, MNIST trained); a new clone for every run.
* warm: the same command again in that clone, nothing changed.
* page edit: append a paragraph to docs/summary.md and build; figures redrawn are counted
  from the build's log line and from docs/figures/figures.json (cache keys that changed).
* figure edit: add a comment line inside one figure function (alpha_divergence in
  gdbook/figures/curves.py) and build; the same count.
* serve: `mkdocs serve` on 127.0.0.1 in the clone; edit docs/summary.md, poll the served
  page until the new text is there. Then edit the figure function and wait for the figure
  hook's log line, reading how many figures it redrew.
* training: the NumPy trainer (`descend_epochs`, one epoch over the 1000 images; every
  method is run once untimed right before each timed run, so all are timed with their data
  in the caches, as in the later epochs of a training run) against
  the book-style pure-Python trainer (timed on the first --python-images images and scaled
  to 1000: its cost per image is the same for every image) and against a bound: the same
  epoch's floating-point work as plain BLAS calls into the OpenBLAS that NumPy ships
  (per image cblas_dcopy + cblas_dgemv for delta = W x - y, cblas_ddot for the error,
  cblas_dger for W -= alpha delta x^T) through ctypes. For reference it also times NumPy's
  own `W @ x` and `np.outer` on the same shapes. It runs in a child process with
  OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset (only there), and reports the kernel
  OpenBLAS chose (threadpoolctl if installed, else openblas_get_corename).
* page weight: gdbook.sitecheck's report on the cold build's site; the goal is that
  every page's own figures stay under 400 KB, counted as a reader downloads them: one file
  of each <picture> (the palette's, wide or narrow), for the heaviest of four readers (light
  or dark, 1280 or 390 px).
"""
from __future__ import annotations

import argparse
import contextlib
import ctypes
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = "docs/summary.md"
FIGURE_FUNC = "alpha_divergence"      # the drawing function of FIGURE_ID, in gdbook/figures/
FIGURE_ID = "alpha-divergence"
FIGURES_LOG = re.compile(r"图形：(\d+) 张，(?:重画 (\d+) 张|代码、数据和文件都没变)")
GOALS = {
    "cold_build_s": ("<", 20.0),
    "warm_build_s": ("<", 3.0),
    "page_edit_redrawn": ("==", 0),
    "figure_edit_redrawn": ("==", 1),
    "serve_page_reload_s": ("<", 2.0),
    "serve_figure_edit_redrawn": ("==", 1),
    # The trainer is held to what BLAS allows on the same machine. Its speed-up over pure
    # Python is information only: it follows the CPU's Python speed (46× on one machine of
    # this kind, 57× on another, same code), not anything the trainer does.
    "numpy_vs_blas_bound": ("<=", 1.5),
    "max_page_figures_kb": ("<", 400.0),
}


# ---------------------------------------------------------------- helpers

def median(values):
    return statistics.median(values) if values else None


def build_env(clone: Path, scratch: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GDBOOK_")}
    for name in ("cache", "tmp", "mpl"):
        (scratch / name).mkdir(parents=True, exist_ok=True)
    env.update(NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(clone),
               GDBOOK_CACHE_DIR=str(scratch / "cache"), TMPDIR=str(scratch / "tmp"),
               MPLCONFIGDIR=str(scratch / "mpl"))
    return env


def clone_repo(where: Path) -> Path:
    clone = where / "repo"
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(clone)],
                   check=True)
    return clone


def mkdocs_build(clone: Path, env: dict) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=clone,
                          env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"mkdocs build failed in {clone}:\n{done.stderr[-3000:]}")
    return seconds, done.stderr


def redrawn_from_log(log: str) -> int | None:
    found = FIGURES_LOG.findall(log)
    if not found:
        return None
    return int(found[-1][1] or 0)


def manifest_keys(clone: Path) -> dict:
    try:
        data = json.loads((clone / "docs/figures/figures.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {e["id"]: e["key"] for e in data.get("figures", [])}


def changed_keys(before: dict, after: dict) -> list[str]:
    return sorted(i for i in after if before.get(i) != after[i])


def edit_page(clone: Path, n: int) -> str:
    marker = f"bench-edit-{os.getpid()}-{n}-{time.time_ns()}"
    with open(clone / PAGE, "a", encoding="utf-8") as f:
        f.write(f"\n\n基准测试改动 {marker}。\n")
    return marker


def edit_figure(clone: Path, n: int) -> None:
    """Add a comment to FIGURE_FUNC, in whichever module of gdbook/figures/ defines it."""
    for path in sorted((clone / "gdbook/figures").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        match = re.search(rf"^def {FIGURE_FUNC}\(.*?\):\n", text, re.M | re.S)
        if match:
            path.write_text(text[:match.end()] + f"    # bench edit {n}\n" + text[match.end():],
                            encoding="utf-8")
            return
    raise RuntimeError(f"no module of gdbook/figures/ defines {FIGURE_FUNC}")


# ---------------------------------------------------------------- builds

def bench_builds(runs: int, keep: bool, log) -> tuple[dict, Path, list]:
    """Cold builds in fresh clones; warm, page-edit and figure-edit builds in the last one."""
    results = {"cold": [], "warm": [], "page_edit": [], "figure_edit": []}
    counts = {"page_edit": [], "figure_edit": []}
    scratch_dirs = []
    clone = env = None
    for run in range(runs):
        scratch = Path(tempfile.mkdtemp(prefix="gdbook-bench-"))
        scratch_dirs.append(scratch)
        clone = clone_repo(scratch)
        env = build_env(clone, scratch)
        seconds, out = mkdocs_build(clone, env)
        results["cold"].append(seconds)
        log(f"cold build {run + 1}/{runs}: {seconds:.2f} s ({redrawn_from_log(out)} figures drawn)")
    for run in range(runs + 2):
        seconds, out = mkdocs_build(clone, env)
        results["warm"].append(seconds)
        log(f"warm build {run + 1}/{runs + 2}: {seconds:.2f} s")
    for run in range(runs):
        before = manifest_keys(clone)
        edit_page(clone, run)
        seconds, out = mkdocs_build(clone, env)
        redrawn = [redrawn_from_log(out), len(changed_keys(before, manifest_keys(clone)))]
        results["page_edit"].append(seconds)
        counts["page_edit"].append(max(r for r in redrawn if r is not None))
        log(f"page edit build {run + 1}/{runs}: {seconds:.2f} s, figures redrawn {redrawn}")
    redrawn_ids = []
    for run in range(runs):
        before = manifest_keys(clone)
        edit_figure(clone, run)
        seconds, out = mkdocs_build(clone, env)
        redrawn_ids = changed_keys(before, manifest_keys(clone))
        redrawn = [redrawn_from_log(out), len(redrawn_ids)]
        results["figure_edit"].append(seconds)
        counts["figure_edit"].append(max(r for r in redrawn if r is not None))
        log(f"figure edit build {run + 1}/{runs}: {seconds:.2f} s, figures redrawn {redrawn} "
            f"{redrawn_ids}")
    summary = {
        "cold_build_s": median(results["cold"]),
        "warm_build_s": median(results["warm"]),
        "page_edit_build_s": median(results["page_edit"]),
        "page_edit_redrawn": max(counts["page_edit"]),
        "figure_edit_build_s": median(results["figure_edit"]),
        "figure_edit_redrawn": max(counts["figure_edit"]),
        "figure_edit_ids": redrawn_ids,
        "build_runs": results,
    }
    return summary, clone, scratch_dirs


# ---------------------------------------------------------------- serve

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError):
        return None


def bench_serve(clone: Path, env: dict, runs: int, log) -> dict:
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    stderr_path = clone.parent / "serve.log"
    stderr = open(stderr_path, "w", encoding="utf-8")
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
                              cwd=clone, env=env, stdout=subprocess.DEVNULL, stderr=stderr,
                              start_new_session=True)

    def read_log():
        return stderr_path.read_text(encoding="utf-8", errors="replace")

    def wait_for(predicate, timeout):
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if server.poll() is not None:
                raise RuntimeError(f"mkdocs serve exited:\n{read_log()[-3000:]}")
            value = predicate()
            if value:
                return value
            time.sleep(0.02)
        raise RuntimeError(f"timed out after {timeout} s:\n{read_log()[-3000:]}")

    from gdbook import sitecheck as check_site         # serve mounts the site at site_url's path
    page_url = base + check_site.site_base(clone / "mkdocs.yml").lstrip("/") + "summary/"
    reloads, figure_seconds, figure_counts = [], [], []
    try:
        wait_for(lambda: fetch(page_url), 120)
        time.sleep(1.0)       # let the watcher settle after the first build
        for run in range(runs):
            marker = edit_page(clone, 100 + run)
            start = time.perf_counter()
            wait_for(lambda: marker in (fetch(page_url) or ""), 60)
            reloads.append(time.perf_counter() - start)
            log(f"serve page reload {run + 1}/{runs}: {reloads[-1]:.2f} s")
            time.sleep(0.5)
        for run in range(max(1, runs // 2)):
            seen = len(FIGURES_LOG.findall(read_log()))
            edit_figure(clone, 100 + run)
            start = time.perf_counter()
            wait_for(lambda: len(FIGURES_LOG.findall(read_log())) > seen, 120)
            figure_seconds.append(time.perf_counter() - start)
            figure_counts.append(redrawn_from_log(read_log()))
            log(f"serve figure edit {run + 1}: hook done in {figure_seconds[-1]:.2f} s, "
                f"{figure_counts[-1]} figure(s) redrawn")
            time.sleep(1.0)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)     # the server we started, and its children
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        stderr.close()
    return {"serve_page_reload_s": median(reloads), "serve_page_reloads": reloads,
            "serve_figure_edit_s": median(figure_seconds),
            "serve_figure_edit_redrawn": max(c for c in figure_counts if c is not None)}


# ---------------------------------------------------------------- training

def _openblas():
    """OpenBLAS as shipped inside NumPy's wheel (numpy.libs), with its CBLAS symbols."""
    import numpy as np
    libs = Path(np.__file__).resolve().parent.parent / "numpy.libs"
    for path in sorted(libs.glob("libscipy_openblas*.so*")) + sorted(libs.glob("libopenblas*.so*")):
        lib = ctypes.CDLL(str(path))
        for prefix, suffix in (("scipy_", "64_"), ("", "64_"), ("", "")):
            if hasattr(lib, f"{prefix}cblas_dger{suffix}"):
                return lib, prefix, suffix, path.name
    return None


def _blas_trainer():
    """The epoch as plain CBLAS calls (ctypes), or None if NumPy's OpenBLAS is not found."""
    import numpy as np
    found = _openblas()
    if found is None:
        return None, None
    lib, prefix, suffix, name = found
    I = ctypes.c_int64 if suffix else ctypes.c_int  # noqa: E741  (ILP64 builds end in 64_)
    P, D, E = ctypes.c_void_p, ctypes.c_double, ctypes.c_int
    dcopy = getattr(lib, f"{prefix}cblas_dcopy{suffix}")
    dcopy.argtypes, dcopy.restype = [I, P, I, P, I], None
    dgemv = getattr(lib, f"{prefix}cblas_dgemv{suffix}")
    dgemv.argtypes, dgemv.restype = [E, E, I, I, D, P, I, P, I, D, P, I], None
    ddot = getattr(lib, f"{prefix}cblas_ddot{suffix}")
    ddot.argtypes, ddot.restype = [I, P, I, P, I], D
    dger = getattr(lib, f"{prefix}cblas_dger{suffix}")
    dger.argtypes, dger.restype = [E, I, I, D, P, I, P, I, P, I], None
    ROW_MAJOR, NO_TRANS = 101, 111

    def epoch(images, targets, weights, alpha):
        W = np.array(weights, dtype=float, order="C")
        rows, cols = W.shape
        delta = np.empty(rows)
        pw, pd = W.ctypes.data, delta.ctypes.data
        pairs = [(x.ctypes.data, y.ctypes.data) for x, y in zip(images, targets)]
        total = 0.0
        for px, py in pairs:
            dcopy(rows, py, 1, pd, 1)                                          # delta = y
            dgemv(ROW_MAJOR, NO_TRANS, rows, cols, 1.0, pw, cols, px, 1, -1.0, pd, 1)  # W x - y
            total += ddot(rows, pd, 1, pd, 1)                                  # error
            dger(ROW_MAJOR, rows, cols, -alpha, pd, 1, px, 1, pw, cols)        # W -= a d x^T
        return W, [total / len(pairs)]

    return epoch, name


C_FLOOR = r"""
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <time.h>
typedef int64_t I;
void PREFIXcblas_dcopySUFFIX(I n, const double *x, I incx, double *y, I incy);
void PREFIXcblas_dgemvSUFFIX(int order, int trans, I m, I n, double alpha, const double *a, I lda,
                             const double *x, I incx, double beta, double *y, I incy);
double PREFIXcblas_ddotSUFFIX(I n, const double *x, I incx, const double *y, I incy);
void PREFIXcblas_dgerSUFFIX(int order, I m, I n, double alpha, const double *x, I incx,
                            const double *y, I incy, double *a, I lda);
static double now(void) {
    struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9;
}
int main(int argc, char **argv) {       /* data file (images, then targets), n, alpha, runs */
    long n = atol(argv[2]); double alpha = atof(argv[3]); int runs = atoi(argv[4]);
    double *X = malloc(sizeof(double) * n * 784), *Y = malloc(sizeof(double) * n * 10);
    FILE *f = fopen(argv[1], "rb");
    if (!f || fread(X, 8, n * 784, f) != (size_t)(n * 784) || fread(Y, 8, n * 10, f) != (size_t)(n * 10))
        return 2;
    fclose(f);
    static double W[10 * 784]; double d[10];
    for (int r = 0; r < runs; r++) {
        for (int i = 0; i < 10 * 784; i++) W[i] = 0.0;
        double total = 0.0, t0 = now();
        for (long k = 0; k < n; k++) {
            PREFIXcblas_dcopySUFFIX(10, Y + k * 10, 1, d, 1);
            PREFIXcblas_dgemvSUFFIX(101, 111, 10, 784, 1.0, W, 784, X + k * 784, 1, -1.0, d, 1);
            total += PREFIXcblas_ddotSUFFIX(10, d, 1, d, 1);
            PREFIXcblas_dgerSUFFIX(101, 10, 784, -alpha, d, 1, X + k * 784, 1, W, 784);
        }
        double t = now() - t0, s = 0.0;
        for (int i = 0; i < 10 * 784; i++) s += W[i];
        printf("%.9f %.17g %.17g\n", t, total / n, s);
    }
    return 0;
}
"""


def c_floor(images, targets, alpha, runs):
    """The same epoch as a C loop of CBLAS calls (no Python at all): the hardware floor.

    Compiled with the system's cc against NumPy's OpenBLAS; None if either is missing.
    Returns (median seconds, the error and weight sum it computed) for a sanity check.
    """
    found = _openblas()
    cc = shutil.which("cc")
    if found is None or cc is None:
        return None
    lib, prefix, suffix, name = found
    if suffix != "64_":
        return None                      # the C source assumes ILP64 (NumPy's own wheels)
    with tempfile.TemporaryDirectory(prefix="gdbook-bench-c-") as tmp:
        tmp = Path(tmp)
        (tmp / "floor.c").write_text(C_FLOOR.replace("PREFIX", prefix).replace("SUFFIX", suffix))
        libpath = Path(lib._name)
        built = subprocess.run([cc, "-O2", "-o", str(tmp / "floor"), str(tmp / "floor.c"),
                                str(libpath), f"-Wl,-rpath,{libpath.parent}"],
                               capture_output=True, text=True)
        if built.returncode != 0:
            return None
        with open(tmp / "data.bin", "wb") as f:
            f.write(images.astype("<f8").tobytes())
            f.write(targets.astype("<f8").tobytes())
        done = subprocess.run([str(tmp / "floor"), str(tmp / "data.bin"), str(len(images)),
                               repr(alpha), str(runs)], capture_output=True, text=True)
        if done.returncode != 0:
            return None
        rows = [line.split() for line in done.stdout.splitlines()]
        return median([float(r[0]) for r in rows]), float(rows[-1][1]), float(rows[-1][2])


def _kernel_info():
    try:
        import threadpoolctl
        info = [i for i in threadpoolctl.threadpool_info() if i.get("user_api") == "blas"]
        if info:
            return {k: info[0].get(k) for k in ("internal_api", "version", "architecture",
                                                 "num_threads", "filepath")} | {"via": "threadpoolctl"}
    except ImportError:
        pass
    found = _openblas()
    if found is None:
        return {"via": "none"}
    lib, prefix, suffix, name = found
    corename = getattr(lib, f"{prefix}openblas_get_corename{suffix}", None)
    if corename is None:
        return {"library": name, "via": "ctypes"}
    corename.restype = ctypes.c_char_p
    return {"library": name, "architecture": corename().decode(), "via": "openblas_get_corename"}


def training_worker(runs: int, python_images: int) -> dict:
    """Runs in the child process (OPENBLAS_* unset); prints JSON."""
    import numpy as np
    from gdbook.datasets import load_mnist, one_hot
    from gdbook.mnist import DEFAULT_ALPHA, descend_epochs, descend_epochs_python

    images, labels = load_mnist("train")
    targets = one_hot(labels, 10)
    zeros = np.zeros((10, 784))
    alpha = DEFAULT_ALPHA
    blas_epoch, blas_lib = _blas_trainer()
    py_images, py_targets = images[:python_images].tolist(), targets[:python_images].tolist()
    py_zeros = zeros.tolist()

    def numpy_ops_only():
        W, pred = np.zeros((10, 784)), np.empty(10)
        for x in images:
            np.matmul(W, x, out=pred)
            np.outer(pred, x)

    def timed(fn):
        fn()                     # warm-up: each method is timed with its data in the caches,
        start = time.perf_counter()          # as in the 2nd and later epochs of training
        fn()
        return time.perf_counter() - start

    # agreement first (not timed): the BLAS epoch does the same arithmetic
    agree = None
    if blas_epoch is not None:
        w_np, e_np = descend_epochs(images, targets, zeros, alpha, 1)
        w_bl, e_bl = blas_epoch(images, targets, zeros, alpha)
        agree = float(np.abs(w_np - w_bl).max())
    times = {"numpy": [], "python_scaled": [], "blas": [], "numpy_ops_only": []}
    for _ in range(runs):                                                    # interleaved
        times["numpy"].append(timed(lambda: descend_epochs(images, targets, zeros, alpha, 1)))
        if blas_epoch is not None:
            times["blas"].append(timed(lambda: blas_epoch(images, targets, zeros, alpha)))
        times["numpy_ops_only"].append(timed(numpy_ops_only))
        t = timed(lambda: descend_epochs_python(py_images, py_targets, py_zeros, alpha, 1))
        times["python_scaled"].append(t * len(images) / python_images)
    numpy_s = median(times["numpy"])
    # the bound: the faster of the two ways to make the same BLAS calls from Python
    blas_s = min(t for t in (median(times["blas"]), median(times["numpy_ops_only"])) if t)
    floor = c_floor(images, targets, alpha, max(runs, 9))
    w_np, e_np = descend_epochs(images, targets, zeros, alpha, 1)
    return {
        "c_floor_epoch_s": floor[0] if floor else None,
        "c_floor_agrees": bool(abs(floor[1] - e_np[0]) < 1e-12
                               and abs(floor[2] - float(w_np.sum())) < 1e-9) if floor else None,
        "numpy_vs_c_floor": numpy_s / floor[0] if floor else None,
        "ctypes_blas_epoch_s": median(times["blas"]),
        "kernel": _kernel_info(),
        "blas_library": blas_lib,
        "openblas_env_unset": [k for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
                               if k not in os.environ],
        "python_images_timed": python_images,
        "max_abs_weight_difference_numpy_vs_blas": agree,
        "numpy_epoch_s": numpy_s,
        "python_epoch_s_scaled": median(times["python_scaled"]),
        "blas_bound_epoch_s": blas_s,   # min(ctypes CBLAS, NumPy matmul + outer alone)
        "numpy_ops_only_epoch_s": median(times["numpy_ops_only"]),
        "numpy_vs_python": median(times["python_scaled"]) / numpy_s,
        "numpy_vs_blas_bound": numpy_s / blas_s if blas_s else None,
        "training_runs": times,
    }


def bench_training(runs: int, python_images: int, processes: int = 3) -> dict:
    """The training measurements in `processes` fresh child processes, OPENBLAS_* unset.

    One process's numbers depend on where its arrays happened to land in memory (seen here:
    one process runs every NumPy and BLAS epoch ~40% slower than the next, pure Python
    unaffected), so each ratio is taken within a process and the medians across processes
    are reported, with the range.
    """
    env = {k: v for k, v in os.environ.items()
           if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    found = []
    for _ in range(processes):
        done = subprocess.run([sys.executable, __file__, "--training-worker", "--runs", str(runs),
                               "--python-images", str(python_images)],
                              env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"training benchmark failed:\n{done.stderr[-3000:]}")
        found.append(json.loads(done.stdout))
    result = dict(found[-1])
    for key, value in found[0].items():
        if isinstance(value, float) and key.endswith(("_s", "_scaled", "_python", "_bound",
                                                      "_floor")):
            values = [f[key] for f in found if f.get(key) is not None]
            result[key] = median(values)
            result[f"{key}_range"] = [min(values), max(values)]
    result["training_processes"] = processes
    result["training_runs"] = [f["training_runs"] for f in found]
    result["c_floor_agrees"] = all(f.get("c_floor_agrees") is not False for f in found)
    return result


# ---------------------------------------------------------------- page weight

def bench_weights(site: Path) -> dict:
    from gdbook import sitecheck as check_site
    report = check_site.check_site(site, check_site.site_base(site.parent / "mkdocs.yml"))
    pages = {w.page: {"html": w.html, "code": w.code, "images": w.images,
                      "figures": w.figures, "total": w.total} for w in report.weights}
    heaviest = max(report.weights, key=lambda w: w.figures)
    # check_site counts a page's figures as the heaviest of its four readers downloads them
    # (light or dark, 1280 or 390 px: sitecheck.READERS).
    return {"pages": pages, "site_problems": report.problems,
            "max_page_figures_kb": heaviest.figures / 1024, "max_page_figures_page": heaviest.page,
            "pages_over_400kb_figures": sorted(w.page for w in report.weights
                                               if w.figures >= 400 * 1024)}


# ---------------------------------------------------------------- report

def bench_pyodide(site: Path, log) -> dict:
    """The page's "运行" button: first run (Pyodide start included) and later runs of
    `python -m gdbook run multi-input` on multi-input/, and the bytes the first run downloads.
    Measured in headless Chromium by scripts/bench_pyodide.py (its docstring says how)."""
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "bench_pyodide.py"), str(site)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        log(f"pyodide failed: {result.stderr[-2000:]}")
        return {"pyodide_error": result.stderr[-2000:]}
    data = json.loads(result.stdout)
    log(f"first run {data['pyodide_first_run_s']:.2f} s, later runs {data['pyodide_later_run_ms']:.0f} ms, "
        f"first run downloads {data['pyodide_first_run_bytes'] / 1e6:.2f} MB")
    return data


def verdict(name, value):
    if name not in GOALS or value is None:
        return "", ""
    op, goal = GOALS[name]
    ok = {"<": value < goal, "<=": value <= goal, ">=": value >= goal, "==": value == goal}[op]
    return f"{op} {goal:g}", "pass" if ok else "FAIL"


ROWS = [
    ("cold_build_s", "cold build, clean clone (s)"),
    ("warm_build_s", "warm rebuild, nothing changed (s)"),
    ("page_edit_build_s", "rebuild after a page edit (s)"),
    ("page_edit_redrawn", "  figures redrawn by a page edit"),
    ("figure_edit_build_s", "rebuild after a figure-function edit (s)"),
    ("figure_edit_redrawn", "  figures redrawn by it"),
    ("serve_page_reload_s", "serve: page edit → new page served (s)"),
    ("serve_figure_edit_s", "serve: figure edit → figures redrawn (s)"),
    ("serve_figure_edit_redrawn", "  figures redrawn by it"),
    ("numpy_epoch_s", "NumPy trainer, one epoch, 1000 images (s)"),
    ("python_epoch_s_scaled", "pure-Python trainer, same epoch (s, scaled)"),
    ("ctypes_blas_epoch_s", "  same epoch as CBLAS calls from Python (s)"),
    ("numpy_ops_only_epoch_s", "  NumPy matmul + outer alone, same shapes (s)"),
    ("blas_bound_epoch_s", "bound: the faster of those two (s)"),
    ("c_floor_epoch_s", "  same CBLAS calls in a C loop (s, information)"),
    ("numpy_vs_python", "NumPy speed-up over pure Python (×, info)"),
    ("numpy_vs_blas_bound", "NumPy time / BLAS bound (×)"),
    ("numpy_vs_c_floor", "  NumPy time / C-loop floor (×, information)"),
    ("max_page_figures_kb", "heaviest page's own figures, as downloaded (KB)"),
]


def table(results: dict) -> str:
    lines = [f"{'measure':<46}{'value':>10}  {'goal':<10}{'result':<6}", "-" * 74]
    for name, label in ROWS:
        if name not in results:
            continue
        value = results[name]
        goal, ok = verdict(name, value)
        shown = f"{value:.3f}" if isinstance(value, float) and value < 1 else \
            f"{value:.2f}" if isinstance(value, float) else str(value)
        lines.append(f"{label:<46}{shown:>10}  {goal:<10}{ok:<6}")
    return "\n".join(lines)


def _parser():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--only", nargs="+", choices=["build", "serve", "training", "weight", "pyodide"],
                        help="measure only these (serve, weight and pyodide need build)")
    parser.add_argument("--json", default=str(ROOT / "build" / "bench.json"), metavar="PATH")
    parser.add_argument("--python-images", type=int, default=100,
                        help="images the pure-Python trainer is timed on (scaled to 1000)")
    parser.add_argument("--training-processes", type=int, default=3,
                        help="fresh processes the training measurements are repeated in")
    parser.add_argument("--keep", action="store_true", help="keep the temporary clones")
    parser.add_argument("--training-worker", action="store_true", help=argparse.SUPPRESS)
    return parser


def log(line):
    print(f"  {line}", file=sys.stderr, flush=True)


def measure(wanted, args, results):
    """Run the wanted measurements into `results` (builds in fresh clones, removed after)."""
    scratch_dirs = []
    try:
        if "training" in wanted:
            log("training …")
            results.update(bench_training(max(5, args.runs * 2 + 1), args.python_images,
                                          args.training_processes))
        if "build" in wanted:
            log(f"builds in fresh clones of {results['commit']} …")
            summary, clone, scratch_dirs = bench_builds(args.runs, args.keep, log)
            results.update(summary)
            if "weight" in wanted:
                results.update(bench_weights(clone / "site"))
            if "pyodide" in wanted:
                log("the page's run button (Pyodide) …")
                results.update(bench_pyodide(clone / "site", log))
            if "serve" in wanted:
                log("mkdocs serve …")
                try:
                    results.update(bench_serve(clone, build_env(clone, clone.parent), args.runs,
                                               log))
                except RuntimeError as exc:
                    results["serve_error"] = str(exc)[:2000]
                    log(f"serve failed: {str(exc)[:2000]}")
    finally:
        if not args.keep:
            for scratch in scratch_dirs:
                shutil.rmtree(scratch, ignore_errors=True)
        elif scratch_dirs:
            log(f"kept: {', '.join(map(str, scratch_dirs))}")


def report(results):
    """Print the table and the details under it."""
    print(table(results))
    if "kernel" in results:
        k = results["kernel"]
        print(f"BLAS: {k.get('internal_api', k.get('library'))} {k.get('version', '')} "
              f"kernel {k.get('architecture')} threads {k.get('num_threads', '?')} "
              f"(via {k.get('via')}); OPENBLAS_* unset for this run: "
              f"{', '.join(results['openblas_env_unset']) or 'none were set'}; "
              f"pure Python timed on {results['python_images_timed']} images, scaled ×"
              f"{1000 / results['python_images_timed']:g}; medians over "
              f"{results['training_processes']} processes, NumPy speed-up range "
              f"{results['numpy_vs_python_range'][0]:.1f}–{results['numpy_vs_python_range'][1]:.1f}×, "
              f"NumPy/bound range {results['numpy_vs_blas_bound_range'][0]:.2f}–"
              f"{results['numpy_vs_blas_bound_range'][1]:.2f}×")
    if "pages" in results:
        print(f"\n{'page (KB)':<42}{'HTML':>7}{'JS+CSS':>8}{'figures':>9}{'total':>8}")
        for page, w in sorted(results["pages"].items()):
            print(f"{page:<42}{w['html'] / 1024:7.1f}{w['code'] / 1024:8.1f}{w['figures'] / 1024:9.1f}"
                  f"{w['total'] / 1024:8.1f}")
        print(f"heaviest page: {results['max_page_figures_page']}; pages with ≥ 400 KB of "
              f"figures: {', '.join(results['pages_over_400kb_figures']) or 'none'}")
    if "serve_error" in results:
        print("serve: FAILED (see serve_error in the JSON)")
    print(f"commit {results['commit']}, load average {results['load_average_start'][0]:.2f} → "
          f"{results['load_average_end'][0]:.2f}")


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    if args.training_worker:
        print(json.dumps(training_worker(args.runs, args.python_images)))
        return 0
    wanted = set(args.only or ["build", "serve", "training", "weight", "pyodide"])
    if wanted & {"serve", "weight", "pyodide"}:
        wanted.add("build")
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                          text=True).stdout.strip()
    results: dict = {"commit": head, "python": sys.version.split()[0], "cpus": os.cpu_count(),
                     "runs": args.runs, "load_average_start": os.getloadavg()}
    measure(wanted, args, results)
    results["load_average_end"] = os.getloadavg()
    results["goals"] = {name: {"goal": verdict(name, results.get(name))[0],
                               "result": verdict(name, results.get(name))[1]}
                        for name in GOALS if name in results}
    report(results)
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"JSON: {out}")
    ok = all(g["result"] != "FAIL" for g in results["goals"].values())
    return 0 if ok and "serve_error" not in results else 1

if __name__ == "__main__":
    sys.exit(main())
