"""freeze.md 的图：冻结权重 a 之后的误差曲线（静态图与动画）和 b、c 的误差曲面
（书中图 88-1 至 89-2）。

数字来自 ``run_listing("freeze-a")`` 的运行记录；误差曲线的共用零件在 :mod:`gdbook.figures.curves`。
"""
import numpy as np
from matplotlib.animation import FuncAnimation
from matplotlib.colors import LogNorm
from matplotlib.ticker import LogLocator, MaxNLocator

from gdbook.figures.curves import _curve, _curve_panels, _grid, _point, _states
from gdbook.figures.draw import layout_figure, new_figure, panels
from gdbook.figures.registry import animation, figure
from gdbook.figures.style import NARROW, SMALL
from gdbook.listings import WEIGHT_NAMES, run_listing
from gdbook.numbers import num


SURFACE_POINTS = 41          # 谷底附近要细一点的网格，再密 SVG 就白白变大


def _freeze_a():
    return {"run": run_listing("freeze-a")}


def _frozen_grids(run, states):
    return [_grid(run, states, i) for i in range(3)]


@figure("frozen-curves",
        caption="冻结 a 之后的误差曲线（t 是已做过的更新次数）：a 的点始终不动，"
                "它的曲线却随 b、c 的学习朝这个点平移，谷底一次比一次近，误差跟着趋近 0。",
        alt="三幅并排的抛物线图，对应权重 a、b、c。a 的图上各次迭代的点重合在同一处，"
            "曲线却一次次平移，谷底越来越靠近这个点；b、c 的点沿曲线滑向谷底。",
        inputs=_freeze_a, narrow=True)
def frozen_curves(pal, run, layout="wide"):
    states = _states(run)
    fig = layout_figure(layout, 2.9, 7.0)
    axes = _curve_panels(fig, pal, run, states, _frozen_grids(run, states),
                         1.3 * run.steps[0].error, frozen=run.frozen, layout=layout)
    axes[-1].legend(loc="upper right", handlelength=1.2)
    return fig


HOLD_MS = 700            # 每次迭代停留的时间


LAST_HOLD_MS = 1600      # 最后一次停得久一点，再从头播放


TWEEN_FRAMES = 5         # 两次迭代之间的过渡帧数


TWEEN_MS = 70


def _timeline(n_states):
    """动画的每一帧 (第几次迭代, 向下一次过渡的比例 t) 和它停留的毫秒数。"""
    frames, durations = [], []
    for k in range(n_states):
        frames.append((k, 0.0))
        durations.append(HOLD_MS if k + 1 < n_states else LAST_HOLD_MS)
        if k + 1 < n_states:
            frames += [(k, (j + 1) / (TWEEN_FRAMES + 1)) for j in range(TWEEN_FRAMES)]
            durations += [TWEEN_MS] * TWEEN_FRAMES
    return frames, durations


@animation("frozen-curves",
           caption="动画：冻结 a 后逐轮播放。a 的点一直停在原处，它的曲线随 b、c 的学习滑过来，"
                   "谷底越来越靠近这个点；b、c 的点沿各自的曲线滑向谷底。",
           alt="三幅并排的误差曲线动画，对应权重 a、b、c。a 的点固定不动，曲线一轮轮平移，"
               "谷底越来越靠近这个点；b、c 的点沿曲线滑向谷底。")
def frozen_curves_anim(pal, run, layout="wide"):
    """动画版：权重在两次迭代之间平滑过渡，a 的点不动，曲线滑过去。

    返回 (FuncAnimation, 每帧停留的毫秒数)。过渡帧只是为了看清“滑动”：
    梯度下降本身一步跳一次，停留的那几帧才是真实的迭代。
    """
    states = [np.array(w, dtype=float) for w in _states(run)]
    grids = _frozen_grids(run, states)
    ymax = 1.3 * run.steps[0].error
    fig = layout_figure(layout, 2.6, 6.0)
    fig.set_facecolor(pal.bg)
    axes = panels(fig, 3, layout, sharey=True)
    curves, dots = [], []
    for i, ax in enumerate(axes):
        color = pal.weights[i]
        curves.append(ax.plot([], [], color=color)[0])
        dots.append(ax.plot([], [], "o", ms=6, color=color, mec=pal.fg, mew=0.8)[0])
        note = " (frozen)" if i in run.frozen else ""
        ax.set_title(f"{WEIGHT_NAMES[i]}{note}", loc="left", color=color, fontweight="bold")
        ax.set_xlim(grids[i][0], grids[i][-1])
        ax.set_ylim(0, ymax)
        ax.set_xlabel(f"weight {WEIGHT_NAMES[i]}")
        ax.xaxis.set_major_locator(MaxNLocator(4))
        ax.grid(True)
        if layout == "narrow" or i == 0:
            ax.set_ylabel("error")
            ax.yaxis.set_tick_params(labelleft=True)
    label = axes[-1].text(0.97, 0.95, "", transform=axes[-1].transAxes, ha="right", va="top",
                          fontsize=SMALL)
    frames, durations = _timeline(len(states))
    fig.draw_without_rendering()         # 版面只排一次：每帧重排会慢上好几倍
    fig.set_layout_engine("none")

    def update(frame):
        k, t = frames[frame]
        ease = t * t * (3 - 2 * t)
        w = states[k] if t == 0 else (1 - ease) * states[k] + ease * states[k + 1]
        for i in range(3):
            curves[i].set_data(grids[i], _curve(run, w, i, grids[i]))
            dots[i].set_data([w[i]], [_point(run, w, i)[0]])
        label.set_text(f"t = {k}" if t == 0 else "")
        return curves + dots + [label]

    return FuncAnimation(fig, update, frames=len(frames), blit=False), durations


@figure("error-surface",
        caption="冻结 a 时，误差是 b、c 两个权重的函数：等高线图上误差为 0 的是一整条谷线，"
                "学习的路径从起点一步步走到谷线上。",
        alt="等高线图，横轴是权重 b，纵轴是权重 c，颜色越深误差越小（对数刻度）。"
            "一条斜的谷线上误差为 0，一串相连的点从初始权重出发，每次迭代一步，落到谷线上。",
        inputs=_freeze_a)
def error_surface(pal, run):
    states = np.array(_states(run))
    b, c = states[:, 1], states[:, 2]
    span = max(np.ptp(b), np.ptp(c)) * 1.1 + 0.05
    b_grid = np.linspace(b.mean() - span, b.mean() + span, SURFACE_POINTS)
    c_grid = np.linspace(c.mean() - span, c.mean() + span, SURFACE_POINTS)
    start = list(run.steps[0].weights)
    errors = np.array([_curve(run, start[:1] + [bv] + start[2:], 2, c_grid) for bv in b_grid]).T
    fig = new_figure(NARROW, 3.8)
    ax = fig.subplots()
    # 对数刻度的等高线：谷底附近误差变化很小，等距的等高线会把它们全挤成一块
    floor = errors.max() / 2e3
    norm = LogNorm(floor, errors.max())
    filled = ax.contourf(b_grid, c_grid, np.maximum(errors, floor), norm=norm,
                         levels=np.geomspace(floor, errors.max(), 12), cmap="viridis")
    ax.plot(b, c, "-", color=pal.accent, lw=1.5)
    ax.plot(b, c, "o", color=pal.accent, mec=pal.fg, ms=6, mew=0.8)
    ax.annotate("t = 0", (b[0], c[0]), xytext=(8, -4), textcoords="offset points",
                fontsize=SMALL)
    ax.annotate(f"t = {len(b) - 1}", (b[-1], c[-1]), xytext=(-8, 6), textcoords="offset points",
                ha="right", fontsize=SMALL, color="white",
                bbox=dict(boxstyle="round,pad=0.15", fc="black", ec="none", alpha=0.5))
    ax.set_xlabel("weight b")
    ax.set_ylabel("weight c")
    ax.set_aspect("equal")
    ax.set_title(f"error(b, c),  a = {num(run.steps[0].weights[0])} (frozen)", loc="left",
                 fontsize=SMALL + 1)
    fig.colorbar(filled, ax=ax, shrink=0.85, ticks=LogLocator(), label="error")
    return fig
