"""第 3、4 节的图：一个输入、三个输出；三个输入、三个输出（书中图 90-1 至 93-2）。

数字来自 ``run_listing("multi-output")`` 与 ``run_listing("multi-in-out")`` 的第一步。
权重矩阵的约定与 :mod:`gdbook.rules` 相同：行 = 输出（hurt、win、sad），列 = 输入。
"""
from gdbook.figures.draw import blank, heatmap, network, new_figure
from gdbook.figures.registry import figure
from gdbook.figures.style import num
from gdbook.listings import INPUT_NAMES, OUTPUT_NAMES, run_listing


def _table(ax, x, y, rows, header, pal, widths=(0.0, 0.6, 1.2, 2.3)):
    """在网络图下方写一张小表：header 是列名，rows 是每行的文字，widths 是各列的横坐标。"""
    for dx, h in zip(widths, header):
        ax.text(x + dx, y, h, ha="left", va="top", fontsize=8.5, color=pal.muted)
    for k, row in enumerate(rows):
        for dx, cell in zip(widths, row):
            ax.text(x + dx, y - 0.3 * (k + 1), cell, ha="left", va="top", fontsize=8.5)


@figure("multi-output",
        caption="一个输入 wlrec 连到三个输出 hurt、win、sad：每个输出各有自己的 pred、delta，"
                "每个权重的 weight_delta = input × 它那个输出的 delta。",
        alt="左右两幅网络图。左边一个输入节点 0.65 经三条边连到三个输出节点，节点里是各自的 pred，"
            "下方的表列出 pred、true、delta；右边同一网络，边上写着 weight_delta，节点里是 delta。",
        inputs=lambda: {"run": run_listing("multi-output")})
def multi_output(pal, run):
    s = run.steps[0]
    fig = new_figure(8.8, 3.6)
    left, right = fig.subplots(1, 2)
    colors = pal.weights
    inputs = [(INPUT_NAMES[1], num(s.input))]

    edges = {(0, j): (f"{num(w)}", colors[j]) for j, w in enumerate(s.weights)}
    network(left, pal, inputs, [(n, num(p)) for n, p in zip(OUTPUT_NAMES, s.pred)], edges,
            label_at=0.55)
    rows = [[n, num(p), num(t), num(d)] for n, p, t, d in zip(OUTPUT_NAMES, s.pred, s.target,
                                                                s.delta)]
    _table(left, -0.8, -1.2, rows, ["", "pred", "true", "delta"], pal, (0.0, 0.6, 1.2, 1.8))
    left.set_title("predict, compare:  pred = input $\\times$ weight", loc="left", fontsize=9.5)

    edges = {(0, j): (f"{num(wd)}", colors[j]) for j, wd in enumerate(s.weight_deltas)}
    network(right, pal, inputs, [(n, num(d)) for n, d in zip(OUTPUT_NAMES, s.delta)], edges,
            label_at=0.55)
    rows = [[n, num(d), num(wd), num(w, 4)] for n, d, wd, w in zip(OUTPUT_NAMES, s.delta,
                                                                     s.weight_deltas,
                                                                     s.weights_after)]
    _table(right, -0.8, -1.2, rows, ["", "delta", "weight_delta", "weights_after"], pal)
    right.set_title("learn:  weight_delta = input $\\times$ delta", loc="left", fontsize=9.5)
    for ax in (left, right):
        blank(ax)
        ax.set_xlim(-1.2, 2.8)
        ax.set_ylim(-2.45, 1.05)
    return fig


@figure("multi-in-out",
        caption="三个输入、三个输出：权重是 3×3 的矩阵（行 = 输出，列 = 输入）；"
                "weight_deltas 是 delta 与输入的外积，第 i 行第 j 列 = delta[i] × input[j]。",
        alt="左边是三个输入连到三个输出的网络图；中间是权重矩阵的热图，右边是 weight_deltas 矩阵的热图，"
            "每格写着数值，颜色以 0 为中心，正为暖色、负为冷色。",
        inputs=lambda: {"run": run_listing("multi-in-out")})
def multi_in_out(pal, run):
    s = run.steps[0]
    fig = new_figure(10.0, 3.3)
    net, weights, deltas = fig.subplots(1, 3, width_ratios=[1.05, 1, 1])
    edges = {(i, j): (None, pal.weights[i]) for i in range(3) for j in range(3)}
    network(net, pal, [(n, num(x)) for n, x in zip(INPUT_NAMES, s.input)],
            [(n, num(p)) for n, p in zip(OUTPUT_NAMES, s.pred)], edges)
    net.set_xlim(-1.2, 2.6)
    net.set_ylim(-1.1, 1.1)
    net.set_title("pred = weights @ input", loc="left", fontsize=9.5)
    cols = [f"{n}\n{num(x)}" for n, x in zip(INPUT_NAMES, s.input)]
    heatmap(weights, s.weights, OUTPUT_NAMES, cols, pal, title="weights")
    rows = [f"{n}  {num(d)}" for n, d in zip(OUTPUT_NAMES, s.delta)]
    heatmap(deltas, s.weight_deltas, rows, cols, pal,
            title="weight_deltas = outer(delta, input)")
    deltas.set_ylabel("delta", color=pal.muted)
    deltas.set_xlabel("input", color=pal.muted)
    weights.set_xlabel("input", color=pal.muted)
    return fig
