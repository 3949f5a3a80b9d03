"""multi-input.md 的图：三输入网络怎样预测、比较、学习（书中图 80-1 至 85-2），
三个权重各自的误差曲线，以及学习率太大时的发散（第 87 页）。

数字全部来自 ``run_listing("multi-input")`` 的运行记录；单输入网络（第 4 章的样子）
用同一个样本的第一个输入和第一个权重，经 :func:`gdbook.rules.multi_input_descent` 算出。
误差曲线的共用零件在 :mod:`gdbook.figures.curves`。
"""
import numpy as np

from gdbook.arith import scale
from gdbook.figures.curves import _curve_panels, _grid
from gdbook.figures.draw import (RADIUS, blank, column, edge, layout_figure, network, new_figure,
                                 node, panels)
from gdbook.figures.registry import figure
from gdbook.figures.style import NARROW, SMALL, TEXT
from gdbook.listings import INPUT_NAMES, WEIGHT_NAMES, run_listing
from gdbook.numbers import num
from gdbook.rules import multi_input_descent


def _first_step():
    return {"run": run_listing("multi-input", iterations=1)}


def _with_single():
    """三输入网络的第一步，以及只用第一个输入（toes）的单输入网络的第一步。"""
    run = run_listing("multi-input", iterations=1)
    s = run.steps[0]
    single = multi_input_descent(s.input[:1], s.weights[:1], s.target, run.alpha, 1)
    return {"run": run, "single": single}


def _inputs(step, names=INPUT_NAMES):
    return [(name, num(x)) for name, x in zip(names, step.input)]


def _panel_title(ax, text):
    ax.set_title(text, loc="left", fontsize=TEXT, fontweight="bold")


SPACING = 0.85         # 网络图里相邻节点的距离
# 输入列到输出列的距离。单输入对三输入的图（每格 3.6 英寸宽）用 2.0：边上 9 pt 的 "b = 0.2"
# 放得下，不压圆圈；三步图的宽版每格只有 2.4 英寸，再宽，圆圈就装不下 "−0.14" 了，所以留 1.6
GAP = 2.0


def _frame(ax, bottom=-2.3):
    blank(ax)
    ax.set_xlim(-1.25, 2.9)
    ax.set_ylim(bottom, SPACING + RADIUS + 0.1)


def _sum_text(step):
    """pred 的加权和，逐项写出，两项一行：8.5×0.1 + 0.65×0.2 ↵ + …"""
    terms = [rf"{num(x)}$\times${'(' + num(w) + ')' if w < 0 else num(w)}"
             for x, w in zip(step.input, step.weights)]
    return "\n+ ".join(" + ".join(terms[k:k + 2]) for k in range(0, len(terms), 2))


@figure("multi-input-steps",
        caption="三输入网络的一个样本：先用权重做加权和得到 pred，再与 true 比较得到 delta，"
                "最后每个权重分到 weight_delta = delta × 它的输入。",
        alt="三联图。第一格是三个输入节点 toes、wlrec、nfans 经权重 a、b、c 连到一个输出节点；"
            "第二格在输出节点写出 pred，下方算出 error 与 delta；第三格在每条边上写出该权重的 weight_delta。",
        inputs=_first_step, narrow=True)
def multi_input_steps(pal, run, layout="wide"):
    s = run.steps[0]
    fig = layout_figure(layout, 3.4, 8.4)
    axes = panels(fig, 3, layout)
    colors = pal.weights
    below = dict(ha="center", va="top", fontsize=SMALL, linespacing=1.5)

    ax = axes[0]
    edges = {(i, 0): (f"{WEIGHT_NAMES[i]} = {num(w)}", colors[i]) for i, w in enumerate(s.weights)}
    network(ax, pal, _inputs(s), [("pred", None)], edges, spacing=SPACING, label_at=0.45)
    ax.text(0.8, -1.2, "weights =\n[" + ", ".join(num(w) for w in s.weights) + "]", **below)
    _frame(ax)
    _panel_title(ax, "Step 1: input, weights")

    ax = axes[1]
    edges = {(i, 0): (None, colors[i]) for i in range(3)}
    network(ax, pal, _inputs(s), [("pred", num(s.pred))], edges, spacing=SPACING)
    lines = [f"pred = {_sum_text(s)}", f"= {num(s.pred)}", f"true = {num(s.target)}",
             rf"error = (pred $-$ true)$^2$ = {num(s.error)}",
             rf"delta = pred $-$ true = {num(s.delta)}"]
    ax.text(0.8, -1.2, "\n".join(lines), **below)
    _frame(ax, -3.3)
    _panel_title(ax, "Step 2: predict, compare")

    ax = axes[2]
    edges = {(i, 0): (num(wd), colors[i]) for i, wd in enumerate(s.weight_deltas)}
    network(ax, pal, _inputs(s), [("delta", num(s.delta))], edges, spacing=SPACING,
            label_at=0.45)
    ax.text(0.8, -1.2, "weight_delta$_i$ =\ndelta $\\times$ input$_i$", **below)
    _frame(ax)
    _panel_title(ax, "Step 3: learn")
    if layout == "wide":
        for ax in axes:
            _frame(ax, -3.3)
    return fig


@figure("multi-input-update",
        caption="学习率 alpha = 0.01 时一次更新前后的三个权重：输入最大的 a 变得最多。",
        alt="左边一张三行的表，对应权重 a、b、c，列出更新前的值、−alpha × weight_delta 和更新后的值；"
            "右边是同样三行的横向条形图，条长是每个权重的改变量：a 的条最长，b、c 的很短。",
        inputs=_first_step)
def multi_input_update(pal, run):
    s = run.steps[0]
    fig = new_figure(NARROW, 3.6)
    table, bars = fig.subplots(2, 1, height_ratios=[1.2, 1])
    changes = [after - before for before, after in zip(s.weights, s.weights_after)]
    ys = [2, 1, 0]
    # 上：每个权重的 before、−alpha·weight_delta、after
    header = ["", "weights", r"$-\alpha\cdot$weight_delta", "weights_after"]
    xs = [0.0, 0.36, 0.64, 0.93]
    for x, h in zip(xs, header):
        table.text(x, 2.85, h, ha="center" if x else "left", fontsize=SMALL, color=pal.muted)
    for y, name, before, change, after, color in zip(ys, WEIGHT_NAMES, s.weights, changes,
                                                     s.weights_after, pal.weights):
        row = [f"{name}  ({INPUT_NAMES[2 - y]})", num(before),
               f"{'+' if change >= 0 else ''}{num(change)}", num(after)]
        for x, text in zip(xs, row):
            table.text(x, y, text, ha="center" if x else "left", va="center", fontsize=SMALL,
                       color=color if x in (xs[0], xs[2]) else pal.fg)
    table.set_xlim(-0.02, 1.08)
    table.set_ylim(-0.5, 3.2)
    table.set_axis_off()
    # 下：改动的大小，同一刻度
    bars.barh(ys, changes, color=pal.weights, height=0.5)
    bars.axvline(0, color=pal.fg, lw=1)
    bars.set_yticks(ys, WEIGHT_NAMES)
    bars.tick_params(axis="y", length=0)
    bars.spines["left"].set_visible(False)
    bars.set_xlabel(r"$-\alpha\cdot$weight_delta")
    bars.set_title(rf"$\alpha$ = {num(run.alpha)}", loc="right", fontsize=SMALL)
    return fig


def _single_and_multi_panel(ax, pal, step, names, weight_names, colors):
    n = len(step.input)
    edges = {(i, 0): (f"{weight_names[i]} = {num(w)}", colors[i])
             for i, w in enumerate(step.weights)}
    network(ax, pal, [(nm, num(x)) for nm, x in zip(names, step.input)],
            [("", num(step.pred))], edges, spacing=SPACING, width=GAP)
    wd = ", ".join(num(d) for d in step.weight_deltas)
    lines = [f"pred = {num(step.pred)}", f"error = {num(step.error)}",
             f"delta = {num(step.delta)}", f"weight_delta =\n[{wd}]" if n > 1
             else f"weight_delta = {wd}"]
    ax.text(GAP / 2, -1.2, "\n".join(lines), ha="center", va="top", fontsize=SMALL, linespacing=1.5)
    blank(ax)
    ax.set_xlim(-1.3, GAP + 1.3)
    ax.set_ylim(-3.0, SPACING + RADIUS + 0.1)


@figure("single-vs-multi",
        caption="左：第 4 章的单输入网络（只有 toes）；右：三输入网络。两者走同样的三步："
                "预测时右边把三个乘积相加，所以 pred 不同；比较的算法相同；"
                "学习时同一个 delta 分别乘三个输入，得到三个 weight_delta。",
        alt="左右两幅网络图。左边一个输入 toes 经一个权重连到输出；右边三个输入经 a、b、c 连到输出。"
            "每幅图下方列出 pred、error、delta 和 weight_delta 的数值。",
        inputs=_with_single, narrow=True)
def single_vs_multi(pal, run, single, layout="wide"):
    fig = layout_figure(layout, 3.6, 7.2)
    left, right = panels(fig, 2, layout)
    _single_and_multi_panel(left, pal, single.steps[0], INPUT_NAMES[:1], ("w",), pal.weights)
    _single_and_multi_panel(right, pal, run.steps[0], INPUT_NAMES, WEIGHT_NAMES, pal.weights)
    left.set_title("1 input (chapter 4)", loc="left", fontweight="bold")
    right.set_title("3 inputs", loc="left", fontweight="bold")
    return fig


@figure("weight-perspective",
        caption="同一个 delta，乘上不同的输入：输入为 0 时权重不动（停止），输入为负时方向反过来"
                "（负反转），输入很大时改动也很大（缩放）。",
        alt="横向条形图，四行分别是输入 0.65、0（标着 stopping）、−0.65（negative reversal）和 8.5（scaling），"
            "条的长度是 weight_delta = delta × 输入。"
            "输入为 0 的一行没有条，−0.65 的条朝另一侧，8.5 的条远远长于其他。",
        inputs=_first_step)
def weight_perspective(pal, run):
    s = run.steps[0]
    x = s.input[1]                                  # wlrec[0]：一个普通大小的正输入
    cases = [x, 0.0, -x, s.input[0]]                # 基准、停止、负反转、缩放（toes[0]）
    deltas = scale(s.delta, cases)
    fig = new_figure(NARROW, 3.0)
    ax = fig.subplots()
    ys = list(range(len(cases)))[::-1]
    colors = [pal.muted, pal.muted, pal.weights[1], pal.weights[0]]
    ax.barh(ys, deltas, color=colors, height=0.55)
    for y, d in zip(ys, deltas):
        ax.text(d, y, f"  {num(d)}  ", va="center", ha="left" if d >= 0 else "right",
                fontsize=SMALL)
    ax.axvline(0, color=pal.fg, lw=1)
    effects = ("", "stopping", "negative reversal", "scaling")
    ax.set_yticks(ys, [f"{e}\ninput = {num(c)}".strip() for e, c in zip(effects, cases)])
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    lo = min(deltas)
    ax.set_xlim(lo * 1.35, -lo * 0.35)
    ax.set_xlabel(rf"weight_delta = delta $\times$ input" f"\n(delta = {num(s.delta)})")
    return fig


@figure("delta-to-weight-deltas",
        caption="一个节点的 delta 沿每条边往回乘上该边的输入，就是这条边上权重的 weight_delta："
                "单输入时得到一个，三输入时得到三个。",
        alt="左右两幅图。左边输出节点的 delta 沿一条边回到输入 toes，边上写着 delta × 8.5 的结果；"
            "右边同一个节点的 delta 沿三条边回到三个输入，每条边写出 delta × 输入 = weight_delta。",
        inputs=_with_single, narrow=True)
def delta_to_weight_deltas(pal, run, single, layout="wide"):
    fig = layout_figure(layout, 2.4, 4.4)
    axes = panels(fig, 2, layout, ratios=[1, 1.6] if layout == "narrow" else None)
    for ax, step, names in ((axes[0], single.steps[0], INPUT_NAMES[:1]),
                            (axes[1], run.steps[0], INPUT_NAMES)):
        n = len(step.input)
        left = column(n, 0.0, SPACING)
        (out,) = column(1, 3.2)
        for i, (x, wd) in enumerate(zip(step.input, step.weight_deltas)):
            label = rf"{num(step.delta)} $\times$ {num(x)} = {num(wd)}"
            edge(ax, out, left[i], pal, label, pal.weights[i], at=0.5)
        for xy, name, x in zip(left, names, step.input):
            node(ax, xy, num(x), pal, name, side="left")
        node(ax, out, num(step.delta), pal, "delta", side="right", color=pal.accent)
        blank(ax)
        ax.set_xlim(-1.2, 4.3)
        ax.set_ylim(-1.25, 1.25)
    axes[0].set_title("1 input: 1 weight_delta", loc="left", fontweight="bold")
    axes[1].set_title("3 inputs: 3 weight_deltas", loc="left", fontweight="bold")
    return fig


ALPHAS = (0.01, 0.02, 0.03, 0.1)


DIVERGENCE_ITERATIONS = 12


def _multi_input():
    return {"run": run_listing("multi-input")}


@figure("error-curves",
        caption="三个权重各自的误差曲线（其余权重不动），以及三次迭代中的当前点和切线"
                "（t 是已做过的更新次数）。a 连着最大的输入 toes，它的曲线最陡，点也走得最快。",
        alt="三幅并排的抛物线图，分别对应权重 a、b、c，纵轴是误差且刻度相同。"
            "a 的抛物线又窄又陡，b、c 的很平缓；每幅图上有三次迭代的点和切线，颜色由浅到深。",
        inputs=_multi_input, narrow=True)
def error_curves(pal, run, layout="wide"):
    states = [s.weights for s in run.steps]
    half = 0.15
    grids = [_grid(run, states, i, half) for i in range(3)]
    ymax = 4 * run.steps[0].error
    fig = layout_figure(layout, 3.0, 7.0)
    axes = _curve_panels(fig, pal, run, states, grids, ymax, layout=layout)
    for i, ax in enumerate(axes):
        ax.set_title(f"weight_delta = {num(run.steps[0].weight_deltas[i])}", loc="right",
                     fontsize=SMALL)
    fig.suptitle(r"tangent slope = 2 $\times$ weight_delta", x=0.99, ha="right", fontsize=SMALL,
                 color=pal.fg)
    axes[0].legend(loc="upper left", handlelength=1.2)
    return fig


LINE_STYLES = (("-", "o"), ("--", "s"), ("-.", "^"), (":", "D"))   # 每个 alpha 一种线型和标记


@figure("alpha-divergence",
        caption="同一个样本用不同的学习率训练：alpha = 0.01 时误差稳步下降，"
                "alpha = 0.1 时误差每步都变大——输入 toes 太大，a 一步改过了头。",
        alt="折线图，横轴是迭代次数，纵轴是对数刻度的误差。alpha 为 0.01 和 0.02 的线向下走，"
            "alpha 为 0.03 的线缓慢上升，alpha 为 0.1 的线陡直上升。图上写出临界学习率。",
        inputs=lambda: {"runs": [run_listing("multi-input", alpha=a,
                                             iterations=DIVERGENCE_ITERATIONS) for a in ALPHAS]})
def alpha_divergence(pal, runs):
    fig = new_figure(NARROW, 3.4)
    ax = fig.subplots()
    shades = np.linspace(0.55, 1.0, len(runs))
    critical = None
    for run, shade, (line, marker) in zip(runs, shades, LINE_STYLES):
        color = pal.bad if run.diverged else pal.good
        iterations = [s.iteration for s in run.steps]
        ax.plot(iterations, [s.error for s in run.steps], marker=marker, ms=4, color=color,
                alpha=float(shade), ls=line, label=rf"$\alpha$ = {num(run.alpha)}")
        critical = critical or (run.diverged and run.diverged.critical_alpha)
    ax.set_yscale("log")
    ax.set_xlabel("iteration")
    ax.set_ylabel("error")
    ax.set_xticks(range(1, DIVERGENCE_ITERATIONS + 1))
    ax.grid(True)
    ax.legend(loc="upper left", handlelength=3)
    if critical:
        ax.set_title(rf"diverges when $\alpha > 2\,/\,\Sigma\, x_i^2$ = {num(critical)}",
                     loc="right", fontsize=SMALL)
    return fig
