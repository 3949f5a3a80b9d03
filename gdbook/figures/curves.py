"""误差曲线的共用零件（multi-input.md 与 freeze.md 的图都用）。

误差曲线是误差曲面沿一个权重方向切下的一刀：其余权重不动，只让这一个权重变，
误差随之画出一条抛物线。曲线上的点是当前的权重，切线的斜率是 ``2 × weight_delta``，
输入越大，抛物线越陡。曲线由 :func:`gdbook.fast.error_curve` 算出，点和切线来自清单的运行记录。

这些零件只在 ``gdbook.figures`` 里面用（所以名字以下划线开头）；缓存键按函数跟进到这里，
改了其中一个，只重画用到它的图。
"""
import numpy as np

from gdbook.arith import weighted_sum
from gdbook.fast import error_curve
from gdbook.figures.draw import error_curve as draw_error_curve
from gdbook.figures.draw import panels
from gdbook.listings import WEIGHT_NAMES


CURVE_POINTS = 41            # 抛物线很光滑，41 个点画出来与 400 个点看不出差别


def _states(run):
    """每次更新前的权重，加上最后一次更新后的权重。"""
    return [s.weights for s in run.steps] + [run.final_weights]


def _curve(run, weights, index, grid):
    s = run.steps[0]
    return error_curve(s.input, [weights], [s.target], 0, index, grid)


def _point(run, weights, index):
    """权重 ``index`` 处的误差，以及该处误差曲线的斜率 2·delta·input。"""
    s = run.steps[0]
    error = float(_curve(run, weights, index, [weights[index]])[0])
    delta = weighted_sum(s.input, weights) - s.target
    return error, 2 * delta * s.input[index]


def _grid(run, states, index, half_width=None):
    """权重 ``index`` 的横轴范围：盖住它走过的值和每条曲线的谷底。"""
    s = run.steps[0]
    values = [w[index] for w in states]
    if half_width is not None:
        center = values[0]
        return np.linspace(center - half_width, center + half_width, CURVE_POINTS)
    bottoms = [w[index] - (weighted_sum(s.input, w) - s.target) / s.input[index]
               for w in states]
    lo, hi = min(values + bottoms), max(values + bottoms)
    pad = 0.35 * (hi - lo) + 0.01
    return np.linspace(lo - pad, hi + pad, CURVE_POINTS)


def _fade(k, n):
    """第 k 次（共 n 次）的不透明度：越早越淡。"""
    return 0.3 + 0.7 * (k + 1) / n


def _curve_panels(fig, pal, run, states, grids, ymax, frozen=(), layout="wide"):
    """三个权重的误差曲线：宽版并排，窄版竖排；纵轴刻度相同。"""
    axes = panels(fig, 3, layout, sharey=True)
    fig.get_layout_engine().set(wspace=0.06)    # 相邻两幅的刻度数字不要挤在一起
    for i, ax in enumerate(axes):
        color = pal.weights[i]
        for k, w in enumerate(states):
            error, slope = _point(run, w, i)
            draw_error_curve(ax, grids[i], _curve(run, w, i, grids[i]), w[i], error,
                             None if i in frozen else slope, color, pal,
                             alpha=_fade(k, len(states)), tangent=0.04 * np.ptp(grids[i]),
                             label=f"t = {k}")
        note = " (frozen)" if i in frozen else ""
        ax.set_title(f"{WEIGHT_NAMES[i]}{note}", loc="left", color=color, fontweight="bold")
        ax.set_xlabel(f"weight {WEIGHT_NAMES[i]}")
        ax.set_xlim(grids[i][0], grids[i][-1])
        ax.set_ylim(0, ymax)
        ax.grid(True)
    for ax in axes if layout == "narrow" else axes[:1]:
        ax.set_ylabel("error")
        ax.yaxis.set_tick_params(labelleft=True)
    return axes
