"""第 1 层：参数检查，只写一次。学习规则、MNIST 网络和命令行都用这里的函数。

不合法的参数引发 :class:`UsageError`，消息是给人看的中文整句，格式统一：
“名字 必须是……，收到 值。”命令行只捕获这一种异常（退出码 2）；别的异常都是程序错误，
照常显示 traceback。

>>> alpha(-1)
Traceback (most recent call last):
...
gdbook.checks.UsageError: alpha 必须大于 0，收到 -1。
>>> count(0, "--iterations", 100000)
Traceback (most recent call last):
...
gdbook.checks.UsageError: --iterations 必须是 1 到 100000 之间的整数，收到 0。
"""
import math
import unicodedata

# 检查失败时的话，``str.format`` 模板；网页面板检查输入框时填的是同一套（gdbook.pagedata 导出）。
MESSAGES = {
    "not_a_number": "{name} 必须是一个数，收到 {value}。",
    "not_finite": "{name} 必须是有限的数（不能是 NaN 或无穷大），收到 {value}。",
    "not_positive": "{name} 必须大于 0，收到 {value}。",
    "not_in_range": "{name} 必须是 {low} 到 {high} 之间的整数，收到 {value}。",
}


def _message(key, **fields):
    return MESSAGES[key].format(**fields)


class UsageError(ValueError):
    """参数不合法：这是使用者的错，不是程序的错。消息是中文整句。"""


class UsageTypeError(UsageError, TypeError):
    """参数的类型不对（例如把字符串当成数字）；也是 :class:`TypeError`。"""


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _is_real(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def number(value, name):
    """一个有限的实数（不是 bool、NaN 或无穷大）。"""
    if not _is_real(value):
        raise UsageTypeError(f"{name} 必须是数字，收到 {value!r}（{type(value).__name__}）。")
    if not math.isfinite(value):
        raise UsageError(_message("not_finite", name=name, value=value))
    return value


def vector(values, name):
    """一串（至少一个）有限的数，返回列表。"""
    if isinstance(values, (str, bytes)) or not hasattr(values, "__len__"):
        raise UsageTypeError(f"{name} 必须是一串数字（列表），收到 {values!r}。")
    if len(values) == 0:
        raise UsageError(f"{name} 必须至少有一个数，收到的是空的。")
    return [number(v, f"{name}[{i}]") for i, v in enumerate(values)]


def matrix(rows, name, n_rows, n_cols):
    """``n_rows`` 行、每行 ``n_cols`` 个有限的数（行 = 输出，列 = 输入）。"""
    if isinstance(rows, (str, bytes)) or not hasattr(rows, "__len__") or len(rows) != n_rows:
        raise UsageError(f"{name} 必须有 {n_rows} 行（每个输出一行），收到 {rows!r}。")
    result = [vector(row, f"{name}[{i}]") for i, row in enumerate(rows)]
    for i, row in enumerate(result):
        if len(row) != n_cols:
            raise UsageError(f"{name}[{i}] 必须与输入一样有 {n_cols} 个数，收到 {len(row)} 个。")
    return result


def same_length(a, b, name_a, name_b):
    """两串数一一对应。"""
    if len(a) != len(b):
        raise UsageError(f"{name_a} 和 {name_b} 必须一样长（一一对应），"
                         f"收到 {len(a)} 个和 {len(b)} 个。")


def alpha(value, name="alpha"):
    """学习率：大于 0 的有限数，返回 float。"""
    if not _is_real(value):
        raise UsageTypeError(f"{name} 必须是数字，收到 {value!r}（{type(value).__name__}）。")
    if value <= 0:          # 先查符号：-inf 的问题是“不大于 0”
        raise UsageError(_message("not_positive", name=name, value=f"{value:g}"))
    number(value, name)
    return float(value)


def count(value, name, high, low=1):
    """``low`` 到 ``high`` 之间的整数（迭代次数、轮数）。"""
    if not _is_int(value) or not low <= value <= high:
        error = UsageError if _is_int(value) else UsageTypeError
        raise error(_message("not_in_range", name=name, low=low, high=high, value=repr(value)))
    return value


def frozen(indices, n, what="权重"):
    """被冻结的下标：0 到 n-1 的整数，去重后排好序，返回元组。"""
    for i in indices:
        if not _is_int(i) or not 0 <= i < n:
            error = UsageError if _is_int(i) else UsageTypeError
            raise error(f"frozen 里{what}的下标必须是 0 到 {n - 1} 之间的整数，收到 {i!r}。")
    return tuple(sorted(set(indices)))


# ---------------------------------------------------------------- text typed on the command line

def text(value):
    """命令行上敲的字：全角字母、数字（中文输入法）统一成半角，去掉首尾空白。"""
    return unicodedata.normalize("NFKC", value).strip()


def parse_number(value, name):
    """把命令行上的文字读成数。"""
    try:
        return float(text(value))
    except ValueError:
        raise UsageError(_message("not_a_number", name=name, value=repr(value))) from None


def parse_count(value, name, high, low=1):
    """把命令行上的文字读成 ``low`` 到 ``high`` 之间的整数。"""
    try:
        number = int(text(value))
    except ValueError:
        number = value
    return count(number, name, high, low)


def weight_index(value, names, owner, what="权重"):
    """命令行上的一个被冻结的权重：名字（``names`` 里的，或 a、b、c…）或下标 0、1、2…

    >>> weight_index("ｂ", ("a", "b", "c"), "freeze-a")
    1
    >>> weight_index("z", ("a", "b", "c"), "freeze-a")
    Traceback (most recent call last):
    ...
    gdbook.checks.UsageError: freeze-a 没有名为 z 的权重；可用 a、b、c 或 0、1、2。
    """
    token = text(value)
    letters = tuple("abcdefghijklmnopqrstuvwxyz"[:len(names)])
    accepted = list(dict.fromkeys(names + letters))
    indices = [str(i) for i in range(len(names))]
    if token in indices:
        return int(token)
    if token.lower() in accepted:
        name = token.lower()
        return names.index(name) if name in names else letters.index(name)
    kind = "下标为" if token.lstrip("+-").isdigit() else "名为"
    raise UsageError(f"{owner} 没有{kind} {token} 的{what}；"
                     f"可用 {'、'.join(accepted)} 或 {'、'.join(indices)}。")
