/*
 * gdbook-lab.mjs — the "try it in the page" panels of sections 1–4 (the page side only).
 *
 * Every <div class="gdbook-lab" data-listing="NAME"></div> on a page becomes a small lab:
 * alpha (slider + field), iterations, freeze check boxes, step / run / reset, the error per
 * iteration, one error curve per weight (dot + tangent), and the book's printout.
 * Optional attributes override the book's parameters:
 *   data-alpha="0.1"  data-iterations="20"  data-frozen="a c" (names or indices; "" = none)
 *
 * This module only builds and drives the DOM. The arithmetic, the Python-style printing and
 * the command line live in gdbook-engine.mjs; the book's data, names, parameters and the
 * divergence sentences come from generated/chapter.mjs, which gdbook/pagedata.py writes from
 * gdbook/listings.py at build time. No dependencies; no network.
 */
import chapter from "./generated/chapter.mjs";
import { allFinite, alphaText, commandLine, commandName, explainDivergence, fill, formatSteps,
         pyFormatG, pyJson, pyRepr, runListing, runToDict, totalError } from "./gdbook-engine.mjs";

const { inputs: INPUT_NAMES, outputs: OUTPUT_NAMES } = chapter.names;
const MAX_PANEL_ITERATIONS = chapter.limits.panel_max_iterations;

// ------------------------------------------------------------------ reading the fields

// Full-width digits and signs (typed with a Chinese input method) count as ASCII.
const halfWidth = (text) => text.replace(/[\uFF01-\uFF5E]/g,
  (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3002/g, ".").trim();

// The messages of gdbook/checks.py (the CLI says the same), filled for a field of the panel.
const says = (key, fields) => fill(chapter.messages[key], fields);
const typed = (raw) => `'${raw.trim()}'`;

/** Returns {value} or {error: 中文说明}. Accepts what the CLI's --alpha accepts. */
function parseAlpha(raw) {
  const text = halfWidth(raw);
  if (text === "") return { error: "请填写学习率 alpha，例如 0.01。" };
  if (/^[+-]?(nan|inf|infinity)$/i.test(text)) {
    return { error: says("not_finite", { name: "alpha", value: text }) };
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text)) {
    return { error: says("not_a_number", { name: "alpha", value: typed(raw) }) };
  }
  const value = Number(text);
  if (!Number.isFinite(value)) return { error: says("not_finite", { name: "alpha", value: text }) };
  if (value <= 0) return { error: says("not_positive", { name: "alpha", value: text }) };
  return { value };
}

/** commandFor(n): the CLI command that runs n iterations (for numbers beyond the panel). */
function parseIterations(raw, commandFor) {
  const text = halfWidth(raw);
  if (text === "") return { error: "请填写迭代次数，例如 3。" };
  const value = /^\+?\d+$/.test(text) ? Number(text) : NaN;
  if (!(value >= 1)) {
    return { error: says("not_in_range", { name: "迭代次数", low: "1", high: String(MAX_PANEL_ITERATIONS),
                                           value: Number.isNaN(value) ? typed(raw) : text }) };
  }
  if (value > MAX_PANEL_ITERATIONS) {
    return { error: `网页里最多迭代 ${MAX_PANEL_ITERATIONS} 次。要迭代更多次，请在命令行运行 ` +
                    `${commandFor(value)}。` };
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
    this.listing = chapter.listings[this.name];
    this.id = "gdbook-lab-" + (++panelCount);
    this.defaults = this.readDefaults();
    this.settings = Object.assign({}, this.defaults);
    this.invalid = new Set();
    this.timer = null;
    this.build();
    this.reset();
    root.gdbookLab = this;   // for the browser test: root.gdbookLab.toJson()
  }

  readDefaults() {
    const d = this.root.dataset, L = this.listing, notes = [];
    let alpha = L.alpha, iterations = L.iterations, frozen = L.frozen.slice();
    if (d.alpha != null) {
      const r = parseAlpha(d.alpha);
      if (r.error) notes.push(r.error); else alpha = r.value;
    }
    if (d.iterations != null) {
      const r = parseIterations(d.iterations, (n) => commandLine(chapter, this.name,
        { alpha: L.alpha, iterations: n, frozen: L.frozen }));
      if (r.error) notes.push(r.error); else iterations = r.value;
    }
    if (d.frozen != null) frozen = parseFrozen(d.frozen, L.freeze_names);
    this.authorNotes = notes;
    return { alpha, iterations, frozen };
  }

  /** What `python -m gdbook run … --json` prints for the command the panel shows. */
  toJson() {
    return pyJson(runToDict(commandName(chapter, this.name, this.settings.frozen), this.run));
  }

  // -------------------------------------------------------------- building the DOM
  build() {
    const L = this.listing, id = this.id;
    this.root.textContent = "";
    this.root.classList.add("gdbook-lab--mounted");
    const title = h("p", { class: "gdbook-lab__title", id: id + "-title" },
      `动手试一试 · 第 ${L.section} 节 ${L.title}`);
    const notes = this.authorNotes.length
      ? h("p", { class: "gdbook-lab__msg", text: "页面参数有误，已改用书中的值：" + this.authorNotes.join(" ") })
      : null;
    this.status = h("p", { class: "gdbook-lab__status" });
    this.announcer = h("p", { class: "gdbook-lab__sr", "aria-live": "polite" });
    this.root.append(h("div", { class: "gdbook-lab__panel", role: "group",
      "aria-labelledby": id + "-title" }, title, notes, this.buildControls(), this.buildButtons(),
      this.status, this.announcer, this.buildDivergence(), ...this.buildCharts(), this.buildPrintout()));
    this.wire();
  }

  /** alpha (a log-scale slider and a field that takes any positive number), iterations, freezing. */
  buildControls() {
    const L = this.listing, id = this.id;
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
      const n = L.freeze_names[i];
      if (L.kind === "multi-input") return `${n}（连着 ${INPUT_NAMES[i]}）`;
      if (L.kind === "multi-output") return `${n} 的权重`;
      return `${n} 连出的 ${OUTPUT_NAMES.length} 个权重`;
    };
    this.freezeBoxes = L.freeze_names.map((_, i) => h("input", { type: "checkbox",
      id: `${id}-freeze-${i}`, value: String(i) }));
    const freeze = h("fieldset", { class: "gdbook-lab__freeze" },
      h("legend", { text: "冻结（这些权重不学习）" }),
      ...this.freezeBoxes.map((box, i) => h("span", { class: "gdbook-lab__check" },
        box, h("label", { for: box.id, text: freezeLabel(i) }))));
    return h("div", { class: "gdbook-lab__controls" }, alphaRow, iterRow, freeze);
  }

  buildButtons() {
    this.stepButton = h("button", { type: "button", class: "md-button" }, "单步");
    this.runButton = h("button", { type: "button", class: "md-button md-button--primary" }, "运行");
    this.resetButton = h("button", { type: "button", class: "md-button" }, "重置");
    this.defaultsButton = h("button", { type: "button", class: "gdbook-lab__link" }, "恢复书中的参数");
    return h("div", { class: "gdbook-lab__buttons" },
      this.stepButton, this.runButton, this.resetButton, this.defaultsButton);
  }

  /** The divergence explanation, shown once the error grows. */
  buildDivergence() {
    this.divergeText = h("p", { class: "gdbook-lab__explain" });
    this.suggestButton = h("button", { type: "button", class: "md-button" });
    this.divergeBox = h("div", { class: "gdbook-lab__diverged", role: "alert", hidden: true },
      h("p", { class: "gdbook-lab__diverged-title", text: chapter.divergence.title }),
      this.divergeText,
      this.suggestButton);
    return this.divergeBox;
  }

  /** The error per iteration, and one error curve per weight. */
  buildCharts() {
    const id = this.id;
    this.errorSvg = s("svg", { class: "gdbook-lab__chart", role: "img" });
    this.logBox = h("input", { type: "checkbox", id: id + "-log" });
    const errorFigure = h("figure", { class: "gdbook-lab__figure" }, this.errorSvg,
      h("figcaption", {}, "每次迭代的误差（合计 error）",
        h("span", { class: "gdbook-lab__check" }, this.logBox,
          h("label", { for: id + "-log", text: "纵轴取对数" }))));
    this.curveGrid = h("div", { class: "gdbook-lab__curves gdbook-lab__curves--" + this.listing.kind });
    const curveFigure = h("figure", { class: "gdbook-lab__figure" }, this.curveGrid,
      h("figcaption", { text: "每个权重的误差曲线：其他权重保持当前值，圆点是当前位置，" +
        "红色短线是切线，斜率 = 2 × delta × 输入（没冻结时就是 2 × weight_delta）；虚线曲线属于冻结的权重。" }));
    return [errorFigure, curveFigure];
  }

  buildPrintout() {
    this.command = h("code", {});
    this.pre = h("pre", { class: "gdbook-lab__printout", tabindex: "0",
      "aria-label": "打印输出" });
    return h("div", { class: "gdbook-lab__print" },
      h("p", {}, "打印输出，与命令行的输出逐字相同：", this.command), this.pre);
  }

  wire() {
    this.alphaRange.addEventListener("input", () => {
      const alpha = Number((10 ** Number(this.alphaRange.value)).toPrecision(2));
      this.alphaField.value = alphaText(alpha);
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
    // The charts are drawn to the panel's width, so they are first drawn when the observer
    // reports it (right after the page's own layout): drawing while the page is mounted would
    // force a layout of the whole page inside the mounting task.
    this.sized = !window.ResizeObserver;
    if (window.ResizeObserver) {
      let width = 0;
      new ResizeObserver(() => {
        this.sized = true;
        if (this.root.clientWidth !== width) { width = this.root.clientWidth; this.draw(); }
      }).observe(this.root);
    }
  }


  /** Put the settings into the fields. */
  fillFields() {
    const { alpha, iterations, frozen } = this.settings;
    this.alphaField.value = alphaText(alpha);
    this.alphaRange.value = String(Math.log10(alpha));
    this.alphaRange.setAttribute("aria-valuetext", "alpha = " + pyRepr(alpha));
    this.iterField.value = String(iterations);
    this.freezeBoxes.forEach((box, i) => { box.checked = frozen.includes(i); });
  }

  /** Validate the fields; on success start over with the new settings. */
  apply() {
    const alpha = parseAlpha(this.alphaField.value);
    const iterations = parseIterations(this.iterField.value, (n) => commandLine(chapter, this.name,
      { ...this.settings, iterations: n }));
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
    this.run = runListing(this.listing, { alpha, iterations, frozen });
    // the state after the last step, for the curves (never printed)
    const last = this.run.steps.length ? this.run.steps[this.run.steps.length - 1].weightsAfter
                                       : this.run.initialWeights;
    this.peek = this.run.step(this.run.steps.length + 1, last);
    this.shown = 0;
    this.pre.textContent = "";
    this.showError(this.alphaField, this.alphaMsg, null);
    this.showError(this.iterField, this.iterMsg, null);
    this.fillFields();
    this.command.textContent = commandLine(chapter, this.name, this.settings);
    this.scales = this.chartScales(0);
    this.update();
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
      this.divergeText.textContent = explainDivergence(chapter, this.name, run, overflowNow);
      this.suggestButton.textContent = `改用建议的 alpha = ${pyFormatG(d.suggestedAlpha, 6)}`;
    }
    this.draw();
  }

  announce() {
    this.announcer.textContent = this.status.textContent +
      (this.divergeBox.hidden ? "" : ` ${chapter.divergence.title}，说明见下方。`);
  }

  // -------------------------------------------------------------- charts

  /** Each weight as a cell: its value, its input, its output's delta (rows = outputs). */
  cells(state) {
    const kind = this.listing.kind, cells = [];
    const wd = state.weightDeltas;
    if (kind === "multi-input") {
      state.weights.forEach((w, j) => cells.push({ i: 0, j, w, x: state.input[j], d: state.delta, wd: wd[j],
        label: `${this.listing.freeze_names[j]}（${INPUT_NAMES[j]}）`, frozen: this.run.frozen.includes(j) }));
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
    // capped: an error near the overflow would make the scale infinite and the curves NaN
    const top = Math.min(Math.max(...errors) * 1.6, Number.MAX_VALUE) || 1;
    return { centers, half, top };
  }

  draw() {
    if (!this.run || !this.sized) return;
    const errorsWidth = this.errorSvg.parentNode.clientWidth;
    this.drawErrors(errorsWidth);
    this.drawCurves();
  }

  drawErrors(measured) {
    const svg = this.errorSvg, run = this.run;
    const width = Math.max(260, Math.round(measured || 600));
    const height = Math.round(Math.min(240, Math.max(170, width * 0.34)));
    const m = { l: 58, r: 14, t: 12, b: 40 };
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    svg.textContent = "";
    const totals = run.steps.slice(0, this.shown).map((st) => totalError(st.error));
    const log = this.logBox.checked;
    const first = run.steps.length ? totalError(run.steps[0].error) : 1;
    const shownValues = totals.length ? totals : [first];
    let ymin = 0, ymax = Math.min(Math.max(...shownValues), Number.MAX_VALUE) || 1;
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
    // every chart's width is read before any is drawn: one layout, not one per chart
    const widths = Array.from(grid.children, (svg) => svg.getBoundingClientRect().width);
    cellsNow.forEach((cell, c) => this.drawCurve(grid.children[c], cell, history.map((h) => h[c]), c,
      widths[c]));
  }

  drawCurve(svg, cell, trail, c, measured) {
    const { centers, half, top } = this.scales;
    const width = Math.max(96, Math.round(measured || 200));
    const height = Math.round(width * 0.8);
    const m = { l: 6, r: 6, t: 22, b: 30 };
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    svg.textContent = "";
    const lo = centers[c] - half, hi = centers[c] + half;
    // Far off-chart values are drawn at ±1e4 px (clipped), not at ±Infinity. Near the overflow
    // a coordinate can still be NaN (∞ − ∞): such marks are left out, never given to the SVG.
    const px = (v) => Math.max(-1e4, Math.min(1e4, v));
    const X = (w) => px(m.l + ((w - lo) / (hi - lo)) * (width - m.l - m.r));
    const Y = (e) => px(height - m.b - (e / top) * (height - m.t - m.b));
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
        const y = Y(curve(v));
        if (allFinite(X(v), y)) pts.push(`${X(v).toFixed(1)},${y.toFixed(1)}`);
      }
      plot.append(s("polyline", { class: "gdbook-lab__parabola" + (cell.frozen ? " is-frozen" : ""),
        points: pts.join(" ") }));
      for (const t of trail) {
        if (allFinite(X(t.w), Y(t.d * t.d))) {
          plot.append(s("circle", { class: "gdbook-lab__trail", cx: X(t.w), cy: Y(t.d * t.d), r: 2 }));
        }
      }
      // tangent: slope d(error)/dw = 2 d x = 2 × weight_delta
      const slope = 2 * cell.d * cell.x, span = half * 0.45, e0 = cell.d * cell.d;
      const tangent = { x1: X(cell.w - span), y1: Y(e0 - slope * span), x2: X(cell.w + span), y2: Y(e0 + slope * span) };
      if (allFinite(Object.values(tangent))) plot.append(s("line", { class: "gdbook-lab__tangent", ...tangent }));
    }
    svg.append(plot);
    if (ok && allFinite(X(cell.w), Y(cell.d * cell.d))) {
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
      "Δw = " + short(Number(cell.wd))));
    svg.setAttribute("aria-label", `权重 ${cell.label}${cell.frozen ? "（冻结）" : ""}：当前值 ${short(cell.w)}，` +
      `weight_delta = ${short(Number(cell.wd))}。`);
  }
}

// ------------------------------------------------------------------ mounting

function mountAll() {
  for (const el of document.querySelectorAll("div.gdbook-lab[data-listing]")) {
    if (el.gdbookLab || !chapter.listings[el.dataset.listing]) continue;
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
