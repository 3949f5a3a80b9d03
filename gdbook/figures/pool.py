"""同时画几张图：要重画的图按（图, 配色）分成小任务，在几个子进程里画，画好的字节交回主进程。

子进程用 fork 得到（:data:`multiprocessing` 的 "fork" 方式），这是本模块唯一的窍门：
画图函数和算好的数据经 ``ProcessPoolExecutor`` 的 ``initializer`` 交给每个子进程——
fork 时 ``initargs`` 原样继承，不经 pickle（画图函数、lambda 和 MNIST 数组都不必能 pickle），
:func:`_receive` 把它们记在子进程自己的 ``_received`` 里，此后每个任务只传 (id, 配色序号)。
所以子进程画图用的正是主进程算缓存键时的代码和数据，画出的字节与一个进程依次画完全相同。

画图代码的例外在子进程里就格式化成 traceback 文字交回（例外对象未必能跨进程 pickle）。
"""
import concurrent.futures
import multiprocessing
import os
import time
import traceback

from gdbook.checks import UsageError
from gdbook.figures.errors import FigureError
from gdbook.figures.render import render_palette
from gdbook.figures.style import PALETTES

JOBS_ENV = "GDBOOK_FIGURE_JOBS"


def default_jobs():
    """同时画图的进程数：环境变量 ``GDBOOK_FIGURE_JOBS``，否则是本进程可用的 CPU 核数。"""
    value = os.environ.get(JOBS_ENV, "").strip()
    if value:
        try:
            return max(1, int(value))
        except ValueError:
            raise UsageError(f"环境变量 {JOBS_ENV} 应当是正整数，收到 {value!r}。") from None
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:                  # 没有 sched_getaffinity 的系统
        return max(1, os.cpu_count() or 1)


def _draw(specs, id, pal_index):
    """画一张图的一套配色：返回 ((文件内容, 尺寸), 秒数, 错误)；错误是 (说明, traceback 或 None)。"""
    start = time.perf_counter()
    spec, inputs = specs[id]
    try:
        blobs = render_palette(spec, inputs, PALETTES[pal_index])
    except FigureError as exc:           # 警告即错误：说明已足够，不必 traceback
        return None, time.perf_counter() - start, (exc.message, exc.details)
    except Exception as exc:             # 画图代码的错误：记下是哪张图、哪一行，接着画别的
        error = (f"{type(exc).__name__}: {exc}", traceback.format_exc())
        return None, time.perf_counter() - start, error
    return blobs, time.perf_counter() - start, None


_received = None        # 只在子进程里有值：见模块说明


def _receive(specs):
    global _received
    _received = specs


def _draw_received(id, pal_index):
    return _draw(_received, id, pal_index)


def _cost(spec):
    """粗略的先后：动画最慢，像素图次之。先派慢的，两个核最后几乎同时空下来。"""
    return (spec.animate is not None, spec.fmt == "png")


def draw_all(specs, jobs):
    """画出 ``specs``（{id: (spec, inputs)}）的全部配色，逐张图产出 (id, 文件, 尺寸, 秒数, 错误)。

    错误是 ``None`` 或 :class:`FigureError`。
    """
    tasks = [(id, k) for id in sorted(specs, key=lambda i: _cost(specs[i][0]), reverse=True)
             for k in range(len(PALETTES))]
    parts = {id: [] for id in specs}
    pool = None
    try:
        if jobs > 1 and len(tasks) > 1 and "fork" in multiprocessing.get_all_start_methods():
            pool = concurrent.futures.ProcessPoolExecutor(
                min(jobs, len(tasks)), mp_context=multiprocessing.get_context("fork"),
                initializer=_receive, initargs=(specs,))
            futures = {pool.submit(_draw_received, *task): task for task in tasks}
            finished = (futures[f] + (f.result(),)
                        for f in concurrent.futures.as_completed(futures))
        else:
            finished = (task + (_draw(specs, *task),) for task in tasks)
        for id, _, part in finished:
            parts[id].append(part)
            if len(parts[id]) == len(PALETTES):
                yield (id, *_merge(id, parts[id]))
    finally:
        if pool is not None:                 # 被打断（例如 Ctrl-C）：不再开始新的任务
            pool.shutdown(wait=True, cancel_futures=True)


def _merge(id, parts):
    blobs, meta, seconds, errors = {}, {}, 0.0, []
    for drawn, part_seconds, error in parts:
        seconds += part_seconds
        if error is not None:
            errors.append(error)
        else:
            blobs.update(drawn[0])
            meta.update(drawn[1])
    return blobs, meta, seconds, (FigureError(id, *errors[0]) if errors else None)
