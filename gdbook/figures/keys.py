"""每张图的缓存键：画这张图的代码、它画的数据、库的版本，任何一样变了，键就变。

键由这些东西的 SHA-256 组成：

* 画图代码，按函数算、不按整个模块算（:func:`figure_sources`）：画图函数自己的源文本，
  它用到的本包里的函数（递归）和模块级常量，再加上共享的样式、零件、渲染模块。改了一张图的
  函数，只重画这一张；改了几张图共用的辅助函数，重画用到它的那几张；
* 这张图画的数据（``inputs()`` 的结果：清单运行记录的每个数字、MNIST 数组的字节）——
  所以改了清单的 alpha、换了数据，图就重画；
* matplotlib、numpy、Pillow 的版本。
"""
import dataclasses
import hashlib
import importlib.metadata
import importlib.util
import inspect
import types

import numpy as np

KEY_VERSION = 1
LIBRARIES = ("matplotlib", "numpy", "pillow")

# 每张图都依赖的共享代码：它们一变，所有图都要重画
SHARED_MODULES = ("gdbook.figures.style", "gdbook.figures.draw", "gdbook.figures.render",
                  "gdbook.numbers")

_SOURCES = {}


def module_source(name):
    """模块的源文本，在第一次需要时读入并记住——与此刻已导入、正在运行的代码一致。"""
    if name not in _SOURCES:
        spec = importlib.util.find_spec(name)
        _SOURCES[name] = spec.loader.get_source(name) or ""
    return _SOURCES[name]


_PLAIN = (type(None), bool, int, float, complex, str, bytes)


def _plain(value):
    """能用 repr 稳定地写进缓存键的值：数字、字符串，以及由它们组成的元组、列表、字典。"""
    if isinstance(value, _PLAIN):
        return True
    if isinstance(value, (tuple, list, frozenset)):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(_plain(k) and _plain(v) for k, v in value.items())
    return False


def _names(code):
    """代码对象（连同其中嵌套的函数、lambda）读取的全局名字。"""
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _names(const)
    return names


def _block(func):
    """函数（连同装饰器）的源文本，取自 :func:`module_source` 记下的模块源文本。"""
    try:
        lines = module_source(func.__module__).splitlines(keepends=True)
        start = func.__code__.co_firstlineno - 1
        return "".join(inspect.getblock(lines[start:])) if lines else ""
    except Exception:        # 找不到源文本（例如交互式定义的函数）：只能用字节码
        return repr(func.__code__.co_code)


def _ours(module):
    return module == "gdbook" or str(module).startswith("gdbook.")


def figure_sources(spec):
    """算进 ``spec`` 缓存键的源文本：共享模块，加上画图函数及其依赖（见模块说明）。"""
    parts, seen = {}, set()
    stack = [f for f in (spec.draw, spec.animate) if f is not None]
    while stack:
        func = stack.pop()
        if func in seen:
            continue
        seen.add(func)
        parts[f"def {func.__module__}.{func.__qualname__}"] = _block(func)
        for name in _names(func.__code__):
            if name not in func.__globals__:
                continue                              # 内置名字
            value = func.__globals__[name]
            if isinstance(value, types.ModuleType):
                if _ours(value.__name__):
                    parts[f"module {value.__name__}"] = module_source(value.__name__)
            elif isinstance(value, types.FunctionType):
                if _ours(value.__module__) and value.__module__ not in SHARED_MODULES:
                    stack.append(value)
            elif _plain(value):
                parts[f"const {func.__module__}.{name}"] = repr(value)
            elif _ours(getattr(value, "__module__", None)) \
                    or _ours(getattr(type(value), "__module__", None)):
                # 本包里的类或对象：把定义它的模块整个算进去
                module = getattr(value, "__module__", None)
                module = module if isinstance(module, str) else type(value).__module__
                if module not in SHARED_MODULES:
                    parts[f"module {module}"] = module_source(module)
            elif isinstance(value, type) or callable(value):
                pass                                  # 库里的类和函数：库的版本已在键里
            else:                                     # 说不清的对象：整个模块都算进去
                parts[f"module {func.__module__}"] = module_source(func.__module__)
    shared = tuple(module_source(n) for n in SHARED_MODULES)
    return shared + tuple(f"{k}\n{parts[k]}" for k in sorted(parts))


def _feed(h, obj):
    """把 obj 的内容（不是它在内存里的地址）喂给哈希。"""
    if isinstance(obj, np.ndarray):
        h.update(f"ndarray{obj.dtype.str}{obj.shape}".encode())
        h.update(np.ascontiguousarray(obj).tobytes())
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        h.update(type(obj).__qualname__.encode())
        for f in dataclasses.fields(obj):
            h.update(f.name.encode())
            _feed(h, getattr(obj, f.name))
    elif isinstance(obj, dict):
        h.update(b"{")
        for k in sorted(obj):
            _feed(h, k)
            _feed(h, obj[k])
        h.update(b"}")
    elif isinstance(obj, (list, tuple)):
        h.update(b"[")
        for item in obj:
            _feed(h, item)
        h.update(b"]")
    elif obj is None or isinstance(obj, (bool, int, float, str, np.generic)):
        h.update(f"{type(obj).__name__}:{obj!r};".encode())
    else:
        raise TypeError(f"不知道怎样为 {type(obj).__name__} 计算缓存键；"
                        f"请让 inputs() 只返回数字、字符串、列表、字典、数据类或 ndarray。")


def cache_key(spec, inputs):
    """这张图的缓存键：代码、数据、库版本，任何一样变了，键就变。"""
    h = hashlib.sha256(f"gdbook-figures/{KEY_VERSION}".encode())
    for lib in LIBRARIES:
        h.update(f"{lib}={importlib.metadata.version(lib)};".encode())
    _feed(h, [spec.id, spec.fmt, sorted(spec.files().values())])
    for source in figure_sources(spec):
        _feed(h, source)
    _feed(h, inputs)
    return h.hexdigest()
