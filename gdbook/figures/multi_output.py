"""multi-output.md 的图：一个输入、三个输出（书中图 90-1 至 91-2）。

数字来自 ``run_listing("multi-output")`` 的第一步。
权重的约定与 :mod:`gdbook.rules` 相同：每个输出（hurt、win、sad）一个权重。
"""
from gdbook.figures.draw import blank, network, new_figure
from gdbook.numbers import num
from gdbook.figures.registry import figure
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
