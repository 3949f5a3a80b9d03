/*
 * gdbook-lab.js — "Try it in the page" panels for sections 1–4 of chapter 5.
 *
 * Every <div class="gdbook-lab" data-listing="NAME"></div> on a page becomes a small lab:
 * alpha (slider + field), iterations, freeze check boxes, step / run / reset, the error per
 * iteration, one error curve per weight (dot + tangent), and the book's printout.
 * Optional attributes override the book's parameters:
 *   data-alpha="0.1"  data-iterations="20"  data-frozen="a c" (names or indices; "" = none)
 *
 * The arithmetic mirrors gdbook/rules.py operation by operation (sums left to right from
 * 0.0, delta = pred - target, w - alpha * weight_delta), and numbers are printed the way
 * Python's str(float) prints them, so the <pre> is character for character what
 * `python -m gdbook run NAME --alpha A --iterations N --freeze ...` prints.
 * No dependencies; no network.
 */
(function () {
  "use strict";

  // ------------------------------------------------------------------ the book's data
  // Same values and names as gdbook/listings.py; every listing trains on example 0.
  const toes = [8.5, 9.5, 9.9, 9.0];
  const wlrec = [0.65, 0.8, 0.8, 0.9];
  const nfans = [1.2, 1.3, 0.5, 1.0];
  const winOrLoseBinary = [1, 1, 0, 1];
  const hurt = [0.1, 0.0, 0.0, 0.1];
  const win = [1, 1, 0, 1];
  const sad = [0.1, 0.0, 0.1, 0.2];

  const INPUT_NAMES = ["toes", "wlrec", "nfans"];
  const OUTPUT_NAMES = ["hurt", "win", "sad"];
  const WEIGHT_NAMES = ["a", "b", "c"];

  // The panel refuses more than this (the CLI allows 100000, but a page should stay quick).
  const MAX_PANEL_ITERATIONS = 1000;

  const LISTINGS = {
    "multi-input": { kind: "multi-input", section: 1, title: "多输入梯度下降",
      alpha: 0.01, iterations: 3, frozen: [], freezeNames: WEIGHT_NAMES },
    "freeze-a": { kind: "multi-input", section: 2, title: "冻结一个权重",
      alpha: 0.3, iterations: 3, frozen: [0], freezeNames: WEIGHT_NAMES },
    "multi-output": { kind: "multi-output", section: 3, title: "多输出梯度下降",
      alpha: 0.1, iterations: 1, frozen: [], freezeNames: OUTPUT_NAMES },
    "multi-in-out": { kind: "multi-in-out", section: 4, title: "多输入多输出",
      alpha: 0.01, iterations: 1, frozen: [], freezeNames: INPUT_NAMES },
  };

  // ------------------------------------------------------------------ Python's number printing

  // Python's int 0: the frozen weight_delta prints as "0", not "0.0".
  const FROZEN_DELTA = 0n;
  const asFloat = (v) => (typeof v === "bigint" ? Number(v) : v);

  /** str(x) / repr(x) of a Python float (or int, given as a BigInt). */
  function pyRepr(x) {
    if (typeof x === "bigint") return x.toString();
    if (Number.isNaN(x)) return "nan";
    if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
    if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
    // toExponential() without an argument gives the shortest digits that round-trip, chosen
    // exactly as Python's repr chooses them; only the layout differs.
    const [mantissa, expText] = Math.abs(x).toExponential().split("e");
    const digits = mantissa.replace(".", "");
    const exp = Number(expText);
    const sign = x < 0 ? "-" : "";
    if (exp < -4 || exp >= 16) {
      const m = digits.length > 1 ? digits[0] + "." + digits.slice(1) : digits;
      return sign + m + "e" + (exp < 0 ? "-" : "+") + String(Math.abs(exp)).padStart(2, "0");
    }
    if (exp < 0) return sign + "0." + "0".repeat(-exp - 1) + digits;
    if (digits.length <= exp + 1) return sign + digits + "0".repeat(exp + 1 - digits.length) + ".0";
    return sign + digits.slice(0, exp + 1) + "." + digits.slice(exp + 1);
  }

  /** str(list) of a Python list of floats / ints. */
  const pyList = (values) => "[" + values.map(pyRepr).join(", ") + "]";

  /** The exact decimal value of a finite double x > 0: x = digits × 10^exp. */
  function exactDecimal(x) {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, x);
    const hi = view.getUint32(0), lo = view.getUint32(4);
    const biased = (hi >>> 20) & 0x7ff;
    let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
    let exp2 = biased === 0 ? -1074 : biased - 1075;
    if (biased !== 0) mantissa |= 1n << 52n;
    if (exp2 >= 0) return { digits: (mantissa << BigInt(exp2)).toString(), exp: 0 };
    // m / 2^k = m × 5^k / 10^k
    return { digits: (mantissa * 5n ** BigInt(-exp2)).toString(), exp: exp2 };
  }

  /** Python's format(x, ".{p}g") (and f"{x:g}" with p = 6), rounding half to even. */
  function pyFormatG(x, p) {
    if (Number.isNaN(x)) return "nan";
    if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
    if (x === 0) return Object.is(x, -0) ? "-0" : "0";
    const sign = x < 0 ? "-" : "";
    const exact = exactDecimal(Math.abs(x));
    let all = exact.digits.replace(/^0+/, "");
    let sci = all.length - 1 + exact.exp;             // x = d.ddd × 10^sci
    let kept = all.slice(0, p).padEnd(p, "0");
    const rest = all.slice(p);
    const roundUp = rest[0] > "5" || (rest[0] === "5" && (/[1-9]/.test(rest.slice(1)) ||
                    Number(kept[kept.length - 1]) % 2 === 1));
    if (roundUp) {
      kept = (BigInt(kept) + 1n).toString();
      if (kept.length > p) { kept = kept.slice(0, p); sci += 1; }
    }
    const strip = (s) => (s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s);
    if (sci >= -4 && sci < p) {
      const body = sci >= 0 ? kept.slice(0, sci + 1) + "." + kept.slice(sci + 1)
                            : "0." + "0".repeat(-sci - 1) + kept;
      return sign + strip(body);
    }
    const m = strip(kept[0] + "." + kept.slice(1));
    return sign + m + "e" + (sci < 0 ? "-" : "+") + String(Math.abs(sci)).padStart(2, "0");
  }

  // ------------------------------------------------------------------ the learning rules

  /** Dot product summed left to right from 0.0, like gdbook.arith.weighted_sum. */
  function weightedSum(inputs, weights) {
    let total = 0.0;
    for (let i = 0; i < inputs.length; i++) total += inputs[i] * weights[i];
    return total;
  }

  // rules.py writes `delta ** 2`. d * d is the correctly rounded square; CPython's `**`
  // calls the C library's pow(), which (glibc) is off by one unit in the last place for
  // about 0.1 % of arbitrary doubles. The runs we test agree bit for bit.
  const square = (d) => d * d;

  /** Section 1–2: several inputs, one output. weight_delta = delta × input. */
  function multiInputStep(inputs, target, alpha, frozen) {
    return (iteration, weights) => {
      const pred = weightedSum(inputs, weights);
      const delta = pred - target;
      const error = square(delta);
      const weightDeltas = inputs.map((x) => delta * x);
      for (const i of frozen) weightDeltas[i] = FROZEN_DELTA;
      const after = weights.map((w, i) => w - alpha * asFloat(weightDeltas[i]));
      return { iteration, input: inputs, weights: weights.slice(), pred, error, delta,
               weightDeltas, weightsAfter: after };
    };
  }

  /** Section 3: one input, several outputs, each with its own delta. */
  function multiOutputStep(input, targets, alpha, frozen) {
    return (iteration, weights) => {
      const pred = weights.map((w) => input * w);
      const delta = pred.map((p, i) => p - targets[i]);
      const error = delta.map(square);
      const weightDeltas = delta.map((d) => input * d);
      for (const i of frozen) weightDeltas[i] = FROZEN_DELTA;
      const after = weights.map((w, i) => w - alpha * asFloat(weightDeltas[i]));
      return { iteration, input, weights: weights.slice(), pred, error, delta,
               weightDeltas, weightsAfter: after };
    };
  }

  /** Section 4: a weight matrix, rows = outputs, columns = inputs; frozen = input columns. */
  function multiInOutStep(inputs, targets, alpha, frozen) {
    return (iteration, weights) => {
      const pred = weights.map((row) => weightedSum(inputs, row));
      const delta = pred.map((p, i) => p - targets[i]);
      const error = delta.map(square);
      const weightDeltas = delta.map((d) => inputs.map((x) => d * x));   // outer(delta, inputs)
      for (const row of weightDeltas) for (const j of frozen) row[j] = FROZEN_DELTA;
      const after = weights.map((row, i) => row.map((w, j) => w - alpha * asFloat(weightDeltas[i][j])));
      return { iteration, input: inputs, weights: weights.map((r) => r.slice()), pred, error,
               delta, weightDeltas, weightsAfter: after };
    };
  }

  /** Python's math.fsum: the correctly rounded sum (Shewchuk's partials, as CPython does it).
      rules.py totals the errors of a step with it. */
  function fsum(values) {
    const partials = [];
    for (let x of values) {
      let i = 0;
      for (let y of partials) {
        if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x];
        const hi = x + y, lo = y - (hi - x);
        if (lo !== 0) partials[i++] = lo;
        x = hi;
      }
      partials.length = i;
      partials.push(x);
    }
    let n = partials.length, hi = 0.0, lo = 0.0;
    if (n > 0) {
      hi = partials[--n];
      while (n > 0) {               // add from the top while the sum stays exact
        const x = hi, y = partials[--n];
        hi = x + y;
        lo = y - (hi - x);
        if (lo !== 0) break;
      }
      // half-way case: round the way the remaining partials point
      if (n > 0 && ((lo < 0 && partials[n - 1] < 0) || (lo > 0 && partials[n - 1] > 0))) {
        const y = lo * 2, x = hi + y;
        if (y === x - hi) hi = x;
      }
    }
    return hi;   // (CPython raises OverflowError where this returns ±Infinity)
  }

  const totalError = (error) => fsum([error].flat());

  const allFinite = (...values) => values.flat(2).every(Number.isFinite);

  /** Python's `10.0 ** e` (glibc differs only for e = 23 and 210, out of reach here). */
  const pow10 = (e) => Number("1e" + e);

  /** The largest 1, 2 or 5 × 10ⁿ not above limit (rules._nice_alpha_below). */
  function niceAlphaBelow(limit) {
    // floor(log10(limit)) read off the decimal exponent (Math.log10 is not exact in V8).
    const exponent = Number(limit.toExponential().split("e")[1]);
    for (const mantissa of [5, 2, 1]) {
      const candidate = mantissa * pow10(exponent);
      if (candidate <= limit) return Number(pyFormatG(candidate, 1));
    }
    return Number(pyFormatG(pow10(exponent - 1), 1));
  }

  /** learningInputs: the inputs feeding one output, 0.0 for frozen weights. Each step
      multiplies that output's error by (1 - alpha·Σx²)², so alpha > 2 / Σx² diverges. */
  function divergence(iteration, overflowAt, learningInputs) {
    const energy = weightedSum(learningInputs, learningInputs);
    let largest = 0;   // the first of the largest, like Python's max()
    learningInputs.forEach((x, i) => { if (Math.abs(x) > Math.abs(learningInputs[largest])) largest = i; });
    return { iteration, overflowAt, largestInput: largest,
             criticalAlpha: 2 / energy, suggestedAlpha: niceAlphaBelow(1 / energy) };
  }

  /** The shared loop of rules._train: record each step, watch the error, stop on overflow. */
  function train(alpha, iterations, frozen, weights, step, learningInputs) {
    const steps = [];
    let diverged = null, previous = null;
    for (let it = 1; it <= iterations; it++) {
      const record = step(it, weights);
      if (!allFinite(record.pred, record.error, record.weightsAfter)) {
        diverged = divergence(diverged ? diverged.iteration : it, it, learningInputs);
        break;
      }
      steps.push(record);
      const total = totalError(record.error);
      if (diverged === null && previous !== null && total > previous) {
        diverged = divergence(it, null, learningInputs);
      }
      previous = total;
      weights = record.weightsAfter;
    }
    return { alpha, iterations, frozen, steps, diverged };
  }

  /** Run a listing with the given settings; also returns the step function (for charts). */
  function runListing(name, alpha, iterations, frozen) {
    const kind = LISTINGS[name].kind;
    const inputs = [toes[0], wlrec[0], nfans[0]];
    const targets = [hurt[0], win[0], sad[0]];
    let step, weights, learning;
    if (kind === "multi-input") {
      step = multiInputStep(inputs, winOrLoseBinary[0], alpha, frozen);
      weights = [0.1, 0.2, -0.1];
      learning = inputs.map((x, i) => (frozen.includes(i) ? 0.0 : x));
    } else if (kind === "multi-output") {
      step = multiOutputStep(wlrec[0], targets, alpha, frozen);
      weights = [0.3, 0.2, 0.9];
      // one weight per output, all fed by the same input: only input² matters
      learning = [frozen.length === weights.length ? 0.0 : wlrec[0]];
    } else {
      step = multiInOutStep(inputs, targets, alpha, frozen);
      weights = [[0.1, 0.1, -0.3],   // hurt?  rows = outputs
                 [0.1, 0.2, 0.0],    // win?   columns = inputs (toes, wlrec, nfans)
                 [0.0, 1.3, 0.1]];   // sad?
      learning = inputs.map((x, j) => (frozen.includes(j) ? 0.0 : x));
    }
    const run = train(alpha, iterations, frozen, weights, step, learning);
    run.kind = kind;
    run.step = step;
    run.initialWeights = weights;
    return run;
  }

  // ------------------------------------------------------------------ printing (listings.py)

  /** The lines format_run prints for one step, "" lines included. */
  function stepLines(run, s) {
    if (run.kind === "multi-input") {
      return ["Iteration:" + s.iteration, "Pred:" + pyRepr(s.pred), "Error:" + pyRepr(s.error),
              "Delta:" + pyRepr(s.delta), "Weights:" + pyList(s.weights), "Weight_Deltas:",
              pyList(s.weightDeltas), ""];
    }
    let block = run.kind === "multi-output"
      ? ["Weights:" + pyList(s.weightsAfter), "Weight Deltas:" + pyList(s.weightDeltas)]
      : ["Weights:"].concat(s.weightsAfter.map(pyList));
    if (run.iterations > 1) block = ["Iteration:" + s.iteration].concat(block, [""]);
    return block;
  }

  /** format_run(run) restricted to the first `count` steps. */
  function formatSteps(run, from, to) {
    let text = "";
    for (let k = from; k < to; k++) text += stepLines(run, run.steps[k]).map((l) => l + "\n").join("");
    return text;
  }

  /** listings.explain_divergence, word for word. */
  function explainDivergence(name, run, withOverflow) {
    const d = run.diverged;
    const inputs = run.steps.length ? run.steps[0].input : null;
    let cause, energy, remedy;
    if (Array.isArray(inputs)) {
      const who = inputs.length === INPUT_NAMES.length
        ? `输入 ${INPUT_NAMES[d.largestInput]}（值 ${pyRepr(inputs[d.largestInput])}）`
        : `第 ${d.largestInput} 个输入（值 ${pyRepr(inputs[d.largestInput])}）`;
      cause = `每个权重的改变量是 alpha × delta × 它的输入，${who}最大，它的权重一步改得最多`;
      energy = "各个参与学习的输入的平方和";
      remedy = "；或者先把输入缩放到相近的范围（归一化）";
    } else {  // section 3: one input, every weight multiplies it
      cause = `每个权重的改变量是 alpha × delta × 输入（值 ${inputs === null ? "None" : pyRepr(inputs)}），` +
        "alpha 太大，每个权重一步都改得太多";
      energy = "输入的平方";
      remedy = "";
    }
    let what = `从第 ${d.iteration} 次迭代起误差越来越大：学习发散了。`;
    if (withOverflow && d.overflowAt !== null) {
      what += `到第 ${d.overflowAt} 次迭代，数字溢出成了无穷大，训练已停止。`;
    }
    const suggested = pyFormatG(d.suggestedAlpha, 6);
    return [
      what,
      `原因：${cause}，冲过了误差的最低点，落到更高的另一侧；下一步 delta 更大，改得更多。`,
      `对这个样本，alpha 超过 ${pyFormatG(d.criticalAlpha, 4)}（= 2 / ${energy}）就会发散，` +
        `当前 alpha = ${pyRepr(run.alpha)}。`,
      `建议：alpha 不大于 ${suggested}，例如 python -m gdbook run ${name} --alpha ${suggested}${remedy}。`,
    ].join("\n");
  }

  /** listings.run_to_dict: every number at full precision (used by the browser test). */
  function runToDict(name, run) {
    const plain = (v) => (Array.isArray(v) ? v.map(plain) : asFloat(v));
    const d = run.diverged;
    return {
      listing: name, alpha: run.alpha, iterations: run.iterations, frozen: run.frozen.slice(),
      steps: run.steps.map((s) => ({ pred: s.pred, error: s.error, delta: s.delta,
        weights: s.weights, weight_deltas: plain(s.weightDeltas), weights_after: s.weightsAfter })),
      diverged: d && { iteration: d.iteration, overflow_at: d.overflowAt, largest_input: d.largestInput,
        critical_alpha: d.criticalAlpha, suggested_alpha: d.suggestedAlpha },
    };
  }

  // ------------------------------------------------------------------ reading the fields

  // Full-width digits and signs (typed with a Chinese input method) count as ASCII.
  const halfWidth = (text) => text.replace(/[\uFF01-\uFF5E]/g,
    (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3002/g, ".").trim();

  /** Returns {value} or {error: 中文说明}. Accepts what the CLI's --alpha accepts. */
  function parseAlpha(raw) {
    const text = halfWidth(raw);
    if (text === "") return { error: "请填写学习率 alpha，例如 0.01。" };
    if (/^[+-]?(nan|inf|infinity)$/i.test(text)) {
      return { error: "alpha 必须是有限的数，不能是 NaN 或无穷大。" };
    }
    if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text)) {
      return { error: `“${raw.trim()}”不是一个数。请填写像 0.01 或 1e-3 这样的数。` };
    }
    const value = Number(text);
    if (!Number.isFinite(value)) return { error: "这个数太大了，超出了浮点数能表示的范围。" };
    if (value <= 0) {
      return { error: `alpha 是 ${text}：学习率必须大于 0，它决定每一步沿下坡方向走多远。` };
    }
    return { value };
  }

  function parseIterations(raw, name) {
    const text = halfWidth(raw);
    if (text === "") return { error: "请填写迭代次数，例如 3。" };
    if (!/^\+?\d+$/.test(text)) return { error: `“${raw.trim()}”不是正整数。迭代次数要填 1、2、3 这样的整数。` };
    const value = Number(text);
    if (value < 1) return { error: "至少要迭代 1 次。" };
    if (value > MAX_PANEL_ITERATIONS) {
      return { error: `网页里最多迭代 ${MAX_PANEL_ITERATIONS} 次。要迭代更多次，请在命令行运行 ` +
                      `python -m gdbook run ${name} --iterations ${text}。` };
    }
    return { value };
  }

  /** data-frozen="a c" / "0 2" → [0, 2]; unknown entries are ignored. */
  function parseFrozen(text, names) {
    const result = [];
    for (const item of text.split(/[\s,，]+/).filter(Boolean)) {
      let i = names.indexOf(item);
      if (i < 0 && /^[a-z]$/i.test(item)) i = item.toLowerCase().charCodeAt(0) - 97;
      if (i < 0 && /^\d+$/.test(item)) i = Number(item);
      if (i >= 0 && i < names.length && !result.includes(i)) result.push(i);
    }
    return result.sort((a, b) => a - b);
  }

  // ------------------------------------------------------------------ small DOM and SVG helpers

  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === false || v == null) continue;
      if (k === "text") el.textContent = v;
      else el.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children) if (c != null) el.append(c);
    return el;
  }

  const SVG = "http://www.w3.org/2000/svg";
  function s(tag, attrs, text) {
    const el = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, v);
    if (text != null) el.textContent = text;
    return el;
  }

  /** A short label for axes and captions (the printout keeps full precision). */
  function short(x) {
    if (!Number.isFinite(x)) return pyRepr(x);
    if (x === 0) return "0";
    const a = Math.abs(x);
    return a >= 1e-3 && a < 1e5 ? String(Number(x.toPrecision(3))) : x.toExponential(2);
  }

  let panelCount = 0;

  // ------------------------------------------------------------------ the panel

  class Lab {
    constructor(root) {
      this.root = root;
      this.name = root.dataset.listing;
      this.listing = LISTINGS[this.name];
      this.id = "gdbook-lab-" + (++panelCount);
      this.defaults = this.readDefaults();
      this.settings = Object.assign({}, this.defaults);
      this.invalid = new Set();
      this.timer = null;
      this.build();
      this.reset();
      root.gdbookLab = this;   // for the browser test: root.gdbookLab.toDict()
    }

    readDefaults() {
      const d = this.root.dataset, L = this.listing, notes = [];
      let alpha = L.alpha, iterations = L.iterations, frozen = L.frozen.slice();
      if (d.alpha != null) {
        const r = parseAlpha(d.alpha);
        if (r.error) notes.push(r.error); else alpha = r.value;
      }
      if (d.iterations != null) {
        const r = parseIterations(d.iterations, this.name);
        if (r.error) notes.push(r.error); else iterations = r.value;
      }
      if (d.frozen != null) frozen = parseFrozen(d.frozen, L.freezeNames);
      this.authorNotes = notes;
      return { alpha, iterations, frozen };
    }

    toDict() { return runToDict(this.name, this.run); }

    // -------------------------------------------------------------- building the DOM
    build() {
      const L = this.listing, id = this.id;
      this.root.textContent = "";
      this.root.classList.add("gdbook-lab--mounted");

      const title = h("p", { class: "gdbook-lab__title", id: id + "-title" },
        `动手试一试 · 第 ${L.section} 节 ${L.title}`);

      // alpha: a log-scale slider and a text field that accepts any positive number
      this.alphaRange = h("input", { type: "range", id: id + "-alpha-range", min: "-4", max: "0",
        step: "0.1", "aria-label": "学习率 alpha（对数刻度）" });
      this.alphaField = h("input", { type: "text", id: id + "-alpha", inputmode: "decimal",
        autocomplete: "off", spellcheck: "false", size: "8", "aria-describedby": id + "-alpha-msg" });
      this.alphaMsg = h("p", { class: "gdbook-lab__msg", id: id + "-alpha-msg", "aria-live": "polite" });
      const alphaRow = h("div", { class: "gdbook-lab__field gdbook-lab__field--alpha" },
        h("label", { for: id + "-alpha", text: "学习率 alpha" }),
        h("div", { class: "gdbook-lab__inputs" }, this.alphaRange, this.alphaField), this.alphaMsg);

      this.iterField = h("input", { type: "text", id: id + "-iterations", inputmode: "numeric",
        autocomplete: "off", size: "5", "aria-describedby": id + "-iterations-msg" });
      this.iterMsg = h("p", { class: "gdbook-lab__msg", id: id + "-iterations-msg", "aria-live": "polite" });
      const iterRow = h("div", { class: "gdbook-lab__field" },
        h("label", { for: id + "-iterations", text: "迭代次数" }),
        h("div", { class: "gdbook-lab__inputs" }, this.iterField), this.iterMsg);

      const freezeLabel = (i) => {
        const n = L.freezeNames[i];
        if (L.kind === "multi-input") return `${n}（连着 ${INPUT_NAMES[i]}）`;
        if (L.kind === "multi-output") return `${n} 的权重`;
        return `${n} 连出的 3 个权重`;
      };
      this.freezeBoxes = L.freezeNames.map((_, i) => h("input", { type: "checkbox",
        id: `${id}-freeze-${i}`, value: String(i) }));
      const freeze = h("fieldset", { class: "gdbook-lab__freeze" },
        h("legend", { text: "冻结（这些权重不学习）" }),
        ...this.freezeBoxes.map((box, i) => h("span", { class: "gdbook-lab__check" },
          box, h("label", { for: box.id, text: freezeLabel(i) }))));

      this.stepButton = h("button", { type: "button", class: "md-button" }, "单步");
      this.runButton = h("button", { type: "button", class: "md-button md-button--primary" }, "运行");
      this.resetButton = h("button", { type: "button", class: "md-button" }, "重置");
      this.defaultsButton = h("button", { type: "button", class: "gdbook-lab__link" }, "恢复书中的参数");
      const buttons = h("div", { class: "gdbook-lab__buttons" },
        this.stepButton, this.runButton, this.resetButton, this.defaultsButton);

      this.status = h("p", { class: "gdbook-lab__status" });
      this.announcer = h("p", { class: "gdbook-lab__sr", "aria-live": "polite" });

      // divergence explanation, shown once the error grows
      this.divergeText = h("p", { class: "gdbook-lab__explain" });
      this.suggestButton = h("button", { type: "button", class: "md-button" });
      this.divergeBox = h("div", { class: "gdbook-lab__diverged", role: "alert", hidden: true },
        h("p", { class: "gdbook-lab__diverged-title", text: "学习发散了" }), this.divergeText,
        this.suggestButton);

      // charts
      this.errorSvg = s("svg", { class: "gdbook-lab__chart", role: "img" });
      this.logBox = h("input", { type: "checkbox", id: id + "-log" });
      const errorFigure = h("figure", { class: "gdbook-lab__figure" }, this.errorSvg,
        h("figcaption", {}, "每次迭代的误差（合计 error）",
          h("span", { class: "gdbook-lab__check" }, this.logBox,
            h("label", { for: id + "-log", text: "纵轴取对数" }))));
      this.curveGrid = h("div", { class: "gdbook-lab__curves gdbook-lab__curves--" + L.kind });
      const curveFigure = h("figure", { class: "gdbook-lab__figure" }, this.curveGrid,
        h("figcaption", { text: "每个权重的误差曲线：其他权重保持当前值，圆点是当前位置，" +
          "红色短线是切线，斜率 = 2 × delta × 输入（没冻结时就是 2 × weight_delta）；虚线曲线属于冻结的权重。" }));

      this.command = h("code", {});
      this.pre = h("pre", { class: "gdbook-lab__printout", tabindex: "0",
        "aria-label": "打印输出" });
      const printout = h("div", { class: "gdbook-lab__print" },
        h("p", {}, "打印输出，与命令行的输出逐字相同：", this.command), this.pre);

      const notes = this.authorNotes.length
        ? h("p", { class: "gdbook-lab__msg", text: "页面参数有误，已改用书中的值：" + this.authorNotes.join(" ") })
        : null;

      this.root.append(h("div", { class: "gdbook-lab__panel", role: "group",
        "aria-labelledby": id + "-title" }, title, notes,
        h("div", { class: "gdbook-lab__controls" }, alphaRow, iterRow, freeze), buttons,
        this.status, this.announcer, this.divergeBox, errorFigure, curveFigure, printout));

      // events
      this.alphaRange.addEventListener("input", () => {
        const alpha = Number((10 ** Number(this.alphaRange.value)).toPrecision(2));
        this.alphaField.value = pyRepr(alpha).replace(/\.0$/, "");
        this.apply();
      });
      this.alphaField.addEventListener("change", () => this.apply());
      this.iterField.addEventListener("change", () => this.apply());
      for (const box of this.freezeBoxes) box.addEventListener("change", () => this.apply());
      this.stepButton.addEventListener("click", () => { this.pause(); this.advance(1); this.announce(); });
      this.runButton.addEventListener("click", () => (this.timer ? this.pause() : this.play()));
      this.resetButton.addEventListener("click", () => this.reset());
      this.defaultsButton.addEventListener("click", () => {
        this.settings = Object.assign({}, this.defaults);
        this.reset();
      });
      this.suggestButton.addEventListener("click", () => {
        this.alphaField.value = pyRepr(this.run.diverged.suggestedAlpha);
        this.apply();
        this.alphaField.focus();
      });
      this.logBox.addEventListener("change", () => this.draw());
      if (window.ResizeObserver) {
        let width = 0;
        new ResizeObserver(() => {
          if (this.root.clientWidth !== width) { width = this.root.clientWidth; this.draw(); }
        }).observe(this.root);
      }
    }

    /** Put the settings into the fields. */
    fillFields() {
      const { alpha, iterations, frozen } = this.settings;
      this.alphaField.value = pyRepr(alpha).replace(/\.0$/, "");
      this.alphaRange.value = String(Math.log10(alpha));
      this.alphaRange.setAttribute("aria-valuetext", "alpha = " + pyRepr(alpha));
      this.iterField.value = String(iterations);
      this.freezeBoxes.forEach((box, i) => { box.checked = frozen.includes(i); });
    }

    /** Validate the fields; on success start over with the new settings. */
    apply() {
      const alpha = parseAlpha(this.alphaField.value);
      const iterations = parseIterations(this.iterField.value, this.name);
      this.showError(this.alphaField, this.alphaMsg, alpha.error);
      this.showError(this.iterField, this.iterMsg, iterations.error);
      if (alpha.error || iterations.error) {
        this.pause();
        this.stepButton.disabled = this.runButton.disabled = true;
        this.status.textContent = "请先改正上面标红的输入，面板仍显示上一次有效参数的结果。";
        return;
      }
      const frozen = this.freezeBoxes.filter((b) => b.checked).map((b) => Number(b.value));
      this.settings = { alpha: alpha.value, iterations: iterations.value, frozen };
      this.reset();
    }

    showError(field, msg, error) {
      msg.textContent = error || "";
      if (error) field.setAttribute("aria-invalid", "true");
      else field.removeAttribute("aria-invalid");
    }

    /** Back to iteration 0 with the current settings (recomputes the whole run). */
    reset() {
      this.pause();
      const { alpha, iterations, frozen } = this.settings;
      this.run = runListing(this.name, alpha, iterations, frozen);
      // the state after the last step, for the curves (never printed)
      const last = this.run.steps.length ? this.run.steps[this.run.steps.length - 1].weightsAfter
                                         : this.run.initialWeights;
      this.peek = this.run.step(this.run.steps.length + 1, last);
      this.shown = 0;
      this.pre.textContent = "";
      this.showError(this.alphaField, this.alphaMsg, null);
      this.showError(this.iterField, this.iterMsg, null);
      this.fillFields();
      this.command.textContent = this.commandLine();
      this.scales = this.chartScales(0);
      this.update();
    }

    /** The CLI command whose output the <pre> reproduces. */
    commandLine() {
      const { alpha, iterations, frozen } = this.settings;
      let name = this.name;
      // freeze-a always freezes a on the command line; with nothing frozen it is multi-input
      if (name === "freeze-a" && frozen.length === 0) name = "multi-input";
      let cmd = `python -m gdbook run ${name} --alpha ${pyRepr(alpha)} --iterations ${iterations}`;
      if (frozen.length) {
        const label = (i) => (this.listing.kind === "multi-input" ? WEIGHT_NAMES[i] : String(i));
        cmd += " --freeze " + frozen.map(label).join(" ");
      }
      return cmd;
    }

    advance(count) {
      const end = Math.min(this.run.steps.length, this.shown + count);
      if (end === this.shown) return;
      this.pre.append(formatSteps(this.run, this.shown, end));
      this.shown = end;
      this.update();
    }

    play() {
      if (this.shown >= this.run.steps.length) return;
      const reduced = window.matchMedia && matchMedia("(prefers-reduced-motion: reduce)").matches;
      if (reduced) { this.advance(this.run.steps.length); this.announce(); return; }
      const n = this.run.iterations;
      const delay = Math.max(16, Math.min(300, 4000 / n));
      const chunk = Math.max(1, Math.round(n / 250));
      const tick = () => {
        if (!this.root.isConnected) { this.pause(); return; }   // page left (instant navigation)
        this.advance(chunk);
        if (this.shown >= this.run.steps.length) { this.pause(); this.announce(); return; }
        this.timer = setTimeout(tick, delay);
      };
      this.timer = setTimeout(tick, 0);
      this.update();
    }

    pause() {
      if (this.timer) { clearTimeout(this.timer); this.timer = null; }
      if (this.run) this.update();
    }

    /** Refresh the buttons, status line, divergence box and charts. */
    update() {
      const run = this.run, total = run.steps.length, done = this.shown >= total;
      const overflow = run.diverged && run.diverged.overflowAt !== null;
      this.root.dataset.state = this.timer ? "running" : done ? "done" : this.shown ? "paused" : "ready";
      this.runButton.textContent = this.timer ? "暂停" : "运行";
      this.stepButton.disabled = done;
      this.runButton.disabled = done;
      if (done && (document.activeElement === this.stepButton || document.activeElement === this.runButton)) {
        this.resetButton.focus();   // keep keyboard focus on something usable
      }
      if (this.shown === 0) this.status.textContent = "还没开始：按“单步”走一次迭代，或按“运行”一直走到底。";
      else this.status.textContent = `已完成第 ${this.shown} 次迭代（共 ${run.iterations} 次）。`;
      if (done && overflow) {
        this.status.textContent = `第 ${run.diverged.overflowAt} 次迭代时数字溢出，训练已停止。`;
      }

      const d = run.diverged;
      const overflowNow = Boolean(d && overflow && done);
      const visible = Boolean(d && (this.shown >= d.iteration || overflowNow));
      this.divergeBox.hidden = !visible;
      if (visible) {
        this.divergeText.textContent = explainDivergence(this.name, run, overflowNow);
        this.suggestButton.textContent = `改用建议的 alpha = ${pyFormatG(d.suggestedAlpha, 6)}`;
      }
      this.draw();
    }

    announce() {
      this.announcer.textContent = this.status.textContent +
        (this.divergeBox.hidden ? "" : " 学习发散了，说明见下方。");
    }

    // -------------------------------------------------------------- charts

    /** Each weight as a cell: its value, its input, its output's delta (rows = outputs). */
    cells(state) {
      const kind = this.listing.kind, cells = [];
      const wd = state.weightDeltas;
      if (kind === "multi-input") {
        state.weights.forEach((w, j) => cells.push({ i: 0, j, w, x: state.input[j], d: state.delta, wd: wd[j],
          label: `${WEIGHT_NAMES[j]}（${INPUT_NAMES[j]}）`, frozen: this.run.frozen.includes(j) }));
      } else if (kind === "multi-output") {
        state.weights.forEach((w, i) => cells.push({ i, j: 0, w, x: state.input, d: state.delta[i], wd: wd[i],
          label: `→ ${OUTPUT_NAMES[i]}`, frozen: this.run.frozen.includes(i) }));
      } else {
        state.weights.forEach((row, i) => row.forEach((w, j) => cells.push({ i, j, w, x: state.input[j],
          d: state.delta[i], wd: wd[i][j], label: `${INPUT_NAMES[j]}→${OUTPUT_NAMES[i]}`,
          frozen: this.run.frozen.includes(j) })));
      }
      return cells;
    }

    /** The state drawn after `shown` steps: the current weights and their delta. */
    stateAt(k) { return k < this.run.steps.length ? this.run.steps[k] : this.peek; }

    /** Axes for the weight curves. A converging run gets fixed axes (so the curves visibly
        move); a diverging one zooms out with each step (so the weights stay in view). */
    chartScales(upTo) {
      const run = this.run;
      const states = run.diverged ? run.steps.slice(0, upTo + 1).concat(upTo >= run.steps.length ? [this.peek] : [])
                                  : run.steps.concat([this.peek]);
      const bounded = states.filter((st) => allFinite(st.weights, st.error, st.delta));
      if (!bounded.length) bounded.push(this.stateAt(0));
      let half = 0;
      const centers = [];
      const perCell = bounded.map((st) => this.cells(st));
      perCell[0].forEach((_, c) => {
        let lo = Infinity, hi = -Infinity;
        for (const cells of perCell) {
          const cell = cells[c];
          lo = Math.min(lo, cell.w); hi = Math.max(hi, cell.w);
          if (cell.x !== 0) { const v = cell.w - cell.d / cell.x; lo = Math.min(lo, v); hi = Math.max(hi, v); }
        }
        centers.push((lo + hi) / 2);
        half = Math.max(half, (hi - lo) / 2);
      });
      half = Math.max(half * 1.25, 0.05);
      const errors = [].concat(...(run.diverged ? bounded : [bounded[0]]).map((st) => st.error));
      const top = Math.max(...errors) * 1.6 || 1;
      return { centers, half, top };
    }

    draw() {
      if (!this.run) return;
      this.drawErrors();
      this.drawCurves();
    }

    drawErrors() {
      const svg = this.errorSvg, run = this.run;
      const width = Math.max(260, Math.round(svg.parentNode.clientWidth || 600));
      const height = Math.round(Math.min(240, Math.max(170, width * 0.34)));
      const m = { l: 58, r: 14, t: 12, b: 40 };
      svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
      svg.textContent = "";
      const totals = run.steps.slice(0, this.shown).map((st) => totalError(st.error));
      const log = this.logBox.checked;
      const first = run.steps.length ? totalError(run.steps[0].error) : 1;
      const shownValues = totals.length ? totals : [first];
      let ymin = 0, ymax = Math.max(...shownValues) || 1;
      if (log) {
        const positive = shownValues.filter((v) => v > 0);
        ymax = Math.log10(Math.max(...positive, 1e-300));
        ymin = Math.log10(Math.min(...positive, 10 ** ymax));
        if (ymax - ymin < 1) { ymin -= 0.5; ymax += 0.5; }
      }
      const n = run.iterations;
      const X = (it) => m.l + (n === 1 ? 0.5 : (it - 1) / (n - 1)) * (width - m.l - m.r);
      const Y = (v) => {
        const t = log ? Math.log10(Math.max(v, 1e-300)) : v;
        return height - m.b - ((t - ymin) / (ymax - ymin)) * (height - m.t - m.b);
      };
      const g = s("g", { class: "gdbook-lab__axes" });
      g.append(s("line", { x1: m.l, y1: height - m.b, x2: width - m.r, y2: height - m.b }),
               s("line", { x1: m.l, y1: m.t, x2: m.l, y2: height - m.b }));
      const yTicks = log ? [ymin, (ymin + ymax) / 2, ymax].map((t) => 10 ** t) : [0, ymax / 2, ymax];
      for (const v of yTicks) {
        g.append(s("text", { x: m.l - 6, y: Y(v) + 4, "text-anchor": "end" }, short(v)));
      }
      const xTicks = n === 1 ? [1] : [...new Set([1, Math.round((n + 1) / 2), n])];
      for (const it of xTicks) g.append(s("text", { x: X(it), y: height - m.b + 16, "text-anchor": "middle" }, String(it)));
      g.append(s("text", { x: (m.l + width - m.r) / 2, y: height - 6, "text-anchor": "middle" }, "迭代次数"));
      svg.append(g);
      if (totals.length) {
        const pts = totals.map((v, k) => `${X(k + 1).toFixed(1)},${Y(v).toFixed(1)}`);
        svg.append(s("polyline", { class: "gdbook-lab__line", points: pts.join(" ") }));
        const k = totals.length;
        svg.append(s("circle", { class: "gdbook-lab__dot", cx: X(k), cy: Y(totals[k - 1]), r: 4 }));
        if (n <= 30) {
          totals.forEach((v, i) => svg.append(s("circle", { class: "gdbook-lab__dot gdbook-lab__dot--small",
            cx: X(i + 1), cy: Y(v), r: 2.5 })));
        }
      }
      const last = totals.length ? totals[totals.length - 1] : null;
      svg.setAttribute("aria-label", last === null ? "误差图：还没有迭代。"
        : `误差图：第 ${totals.length} 次迭代的 error = ${short(last)}。`);
    }

    drawCurves() {
      if (this.run.diverged) this.scales = this.chartScales(this.shown);
      const cellsNow = this.cells(this.stateAt(this.shown));
      const history = [];
      for (let k = Math.max(0, this.shown - 40); k < this.shown; k++) history.push(this.cells(this.stateAt(k)));
      const grid = this.curveGrid;
      while (grid.children.length > cellsNow.length) grid.lastChild.remove();
      while (grid.children.length < cellsNow.length) grid.append(s("svg", { class: "gdbook-lab__curve", role: "img" }));
      cellsNow.forEach((cell, c) => this.drawCurve(grid.children[c], cell, history.map((h) => h[c]), c));
    }

    drawCurve(svg, cell, trail, c) {
      const { centers, half, top } = this.scales;
      const width = Math.max(96, Math.round(svg.getBoundingClientRect().width || 200));
      const height = Math.round(width * 0.8);
      const m = { l: 6, r: 6, t: 22, b: 30 };
      svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
      svg.textContent = "";
      const lo = centers[c] - half, hi = centers[c] + half;
      const X = (w) => m.l + ((w - lo) / (hi - lo)) * (width - m.l - m.r);
      const Y = (e) => height - m.b - (e / top) * (height - m.t - m.b);
      const clipId = `${this.id}-clip-${c}`;
      svg.append(s("clipPath", { id: clipId }, null));
      svg.lastChild.append(s("rect", { x: m.l, y: m.t, width: width - m.l - m.r, height: height - m.t - m.b }));
      const plot = s("g", { "clip-path": `url(#${clipId})` });
      svg.append(s("line", { class: "gdbook-lab__axis", x1: m.l, x2: width - m.r, y1: Y(0), y2: Y(0) }));
      // error of this weight's output as a function of this weight alone: (d + x (v − w))²
      const curve = (v) => { const e = cell.d + cell.x * (v - cell.w); return e * e; };
      const ok = Number.isFinite(cell.w) && Number.isFinite(cell.d);
      if (ok) {
        const pts = [];
        for (let k = 0; k <= 60; k++) {
          const v = lo + ((hi - lo) * k) / 60;
          pts.push(`${X(v).toFixed(1)},${Math.max(-1e4, Y(curve(v))).toFixed(1)}`);
        }
        plot.append(s("polyline", { class: "gdbook-lab__parabola" + (cell.frozen ? " is-frozen" : ""),
          points: pts.join(" ") }));
        for (const t of trail) {
          if (Number.isFinite(t.w) && Number.isFinite(t.d)) {
            plot.append(s("circle", { class: "gdbook-lab__trail", cx: X(t.w), cy: Y(t.d * t.d), r: 2 }));
          }
        }
        // tangent: slope d(error)/dw = 2 d x = 2 × weight_delta
        const slope = 2 * cell.d * cell.x, span = half * 0.45, e0 = cell.d * cell.d;
        plot.append(s("line", { class: "gdbook-lab__tangent", x1: X(cell.w - span), y1: Y(e0 - slope * span),
          x2: X(cell.w + span), y2: Y(e0 + slope * span) }));
      }
      svg.append(plot);
      if (ok) {
        const cx = Math.min(width - m.r, Math.max(m.l, X(cell.w)));
        const cy = Math.min(height - m.b, Math.max(m.t, Y(cell.d * cell.d)));
        const out = cx !== X(cell.w) || cy !== Y(cell.d * cell.d);
        svg.append(s("circle", { class: "gdbook-lab__dot" + (out ? " is-out" : "") +
          (cell.frozen ? " is-frozen" : ""), cx, cy, r: 4.5 }));
      }
      svg.append(s("text", { class: "gdbook-lab__curve-title", x: width / 2, y: 15, "text-anchor": "middle" },
        cell.label + (cell.frozen ? " · 冻结" : "")));
      svg.append(s("text", { x: width / 2, y: height - 16, "text-anchor": "middle" }, "w = " + short(cell.w)));
      svg.append(s("text", { x: width / 2, y: height - 3, "text-anchor": "middle" },
        "Δw = " + short(asFloat(cell.wd))));
      svg.setAttribute("aria-label", `权重 ${cell.label}${cell.frozen ? "（冻结）" : ""}：当前值 ${short(cell.w)}，` +
        `weight_delta = ${short(asFloat(cell.wd))}。`);
    }
  }

  // ------------------------------------------------------------------ mounting

  function mountAll() {
    for (const el of document.querySelectorAll("div.gdbook-lab[data-listing]")) {
      if (el.gdbookLab || !LISTINGS[el.dataset.listing]) continue;
      try {
        new Lab(el);
      } catch (err) {   // one broken panel must not take the others (or the page) down
        el.textContent = "";
        console.error("gdbook-lab:", err);
      }
    }
  }

  // mkdocs-material's instant navigation swaps pages without reloading scripts; document$
  // emits once per page (including the first).
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(mountAll);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mountAll);
  } else {
    mountAll();
  }

  // For tests and the curious: the arithmetic and the Python-style printing.
  window.gdbookLab = { runListing, runToDict, formatSteps, explainDivergence, pyRepr, pyFormatG,
                       parseAlpha, parseIterations, mountAll, LISTINGS };
})();
