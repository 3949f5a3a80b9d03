/*
 * gdbook-engine.mjs — the arithmetic of the "try it" panels, without a page.
 *
 * No DOM and no chapter data: every function that needs the book's numbers, names or
 * sentences receives them as an argument (the object gdbook/pagedata.py generates from
 * gdbook/listings.py). What lives here is what must run in the browser:
 *
 *   - the learning rules and training loop of gdbook/rules.py, operation by operation
 *     (sums left to right from 0.0, d * d, math.fsum, the divergence record, the nice alpha);
 *   - Python's way of printing numbers (repr, %g) and JSON, so that the panel's printout is
 *     character for character what `python -m gdbook run …` prints;
 *   - format_run, run_to_dict, command_line and explain_divergence of gdbook/listings.py,
 *     filling the same templates.
 *
 * A Python int is a BigInt here (the frozen weight_delta is Python's 0, printed "0").
 * tests/js/parity.mjs runs this module in Node against Python.
 */

// ------------------------------------------------------------------ Python's number printing

const FROZEN_DELTA = 0n;
const asFloat = (v) => (typeof v === "bigint" ? Number(v) : v);

/** repr(x) of a Python float (or int, given as a BigInt). */
export function pyRepr(x) {
  if (typeof x === "bigint") return x.toString();
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  // toExponential() without an argument gives the shortest digits that round-trip, chosen
  // as Python's repr chooses them; only the layout differs.
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
  const exp2 = biased === 0 ? -1074 : biased - 1075;
  if (biased !== 0) mantissa |= 1n << 52n;
  if (exp2 >= 0) return { digits: (mantissa << BigInt(exp2)).toString(), exp: 0 };
  return { digits: (mantissa * 5n ** BigInt(-exp2)).toString(), exp: exp2 };   // m / 2^k = m·5^k / 10^k
}

/** format(x, ".{p}g") of a Python float: exact decimal, rounded half to even. */
export function pyFormatG(x, p = 6) {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const sign = x < 0 ? "-" : "";
  const exact = exactDecimal(Math.abs(x));
  const all = exact.digits.replace(/^0+/, "");
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

/** json.dumps(value, ensure_ascii=False) of Python values (BigInt = int, null = None). */
export function pyJson(value) {
  if (value === null) return "null";
  if (typeof value === "bigint" || typeof value === "number") return pyRepr(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return "[" + value.map(pyJson).join(", ") + "]";
  return "{" + Object.entries(value).map(([k, v]) => JSON.stringify(k) + ": " + pyJson(v)).join(", ") + "}";
}

/**
 * template.format(**fields) for the templates of gdbook/listings.py, which use only
 * {name} (a string as is, a float as repr, a BigInt as an int), {name:g} and {name:.Ng}.
 */
export function fill(template, fields) {
  return template.replace(/\{(\w+)(?::([^}]*))?\}/g, (_, name, spec) => {
    if (!(name in fields)) throw new Error(`template field {${name}} not given`);
    const value = fields[name];
    if (spec === undefined) return typeof value === "string" ? value : pyRepr(value);
    const precision = /^(?:\.(\d+))?g$/.exec(spec);
    if (!precision) throw new Error(`template format {${name}:${spec}} not supported`);
    return pyFormatG(asFloat(value), precision[1] === undefined ? 6 : Number(precision[1]));
  });
}

// ------------------------------------------------------------------ the learning rules

/** gdbook.arith.weighted_sum: summed left to right from 0.0. */
function weightedSum(inputs, weights) {
  let total = 0.0;
  for (let i = 0; i < inputs.length; i++) total += inputs[i] * weights[i];
  return total;
}

// rules._square: the correctly rounded square (`** 2` would call the C library's pow()).
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

/** Per network: its step, and the inputs feeding one output (0.0 where frozen). */
const NETWORKS = {
  "multi-input": {
    step: multiInputStep,
    learning: (inputs, weights, frozen) => inputs.map((x, i) => (frozen.includes(i) ? 0.0 : x)),
  },
  "multi-output": {
    step: multiOutputStep,
    // one weight per output, all on the same input: only input² matters
    learning: (input, weights, frozen) => [frozen.length === weights.length ? 0.0 : input],
  },
  "multi-in-out": {
    step: multiInOutStep,
    learning: (inputs, weights, frozen) => inputs.map((x, j) => (frozen.includes(j) ? 0.0 : x)),
  },
};

/**
 * math.fsum, ported from CPython's math_fsum (Shewchuk's partials, half-even across
 * partials). Where CPython raises OverflowError ("intermediate overflow") this returns
 * Infinity, which is what rules._total makes of that error.
 */
export function fsum(values) {
  const p = [];
  let special = 0.0, infSum = 0.0;
  for (const item of values) {
    let x = item;
    let i = 0;
    for (let y of p) {
      if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x];
      const hi = x + y, lo = y - (hi - x);
      if (lo !== 0) p[i++] = lo;
      x = hi;
    }
    p.length = i;
    if (x !== 0) {
      if (!Number.isFinite(x)) {
        if (Number.isFinite(item)) return Infinity;     // intermediate overflow
        if (!Number.isNaN(item)) infSum += item;
        special += item;
        p.length = 0;
      } else {
        p.push(x);
      }
    }
  }
  if (special !== 0) return special;   // (CPython raises ValueError for inf + -inf)
  let n = p.length, hi = 0.0, lo = 0.0;
  if (n > 0) {
    hi = p[--n];
    while (n > 0) {               // add from the top while the sum stays exact
      const x = hi, y = p[--n];
      hi = x + y;
      lo = y - (hi - x);
      if (lo !== 0) break;
    }
    if (n > 0 && ((lo < 0 && p[n - 1] < 0) || (lo > 0 && p[n - 1] > 0))) {
      const y = lo * 2, x = hi + y;
      if (y === x - hi) hi = x;
    }
  }
  return hi;
}

/** rules._total: the errors of a step summed exactly (inf when the sum overflows). */
export const totalError = (error) => fsum([error].flat());

export const allFinite = (...values) => values.flat(2).every((v) => Number.isFinite(asFloat(v)));

/** Python's `10.0 ** e`: a correctly rounded power of ten. */
const pow10 = (e) => Number("1e" + e);

/** rules._nice_alpha_below: the largest 1, 2 or 5 × 10ⁿ not above limit. */
export function niceAlphaBelow(limit) {
  const exponent = Math.floor(Math.log10(limit));
  for (const mantissa of [5, 2, 1]) {
    const candidate = mantissa * pow10(exponent);
    if (candidate <= limit) return Number(pyFormatG(candidate, 1));
  }
  return Number(pyFormatG(pow10(exponent - 1), 1));
}

/** rules._divergence: alpha > 2 / Σx² (learning inputs of one output) makes the error grow. */
function divergence(iteration, overflowAt, learningInputs) {
  const energy = weightedSum(learningInputs, learningInputs);
  let largest = 0;   // the first of the largest, like Python's max()
  learningInputs.forEach((x, i) => { if (Math.abs(x) > Math.abs(learningInputs[largest])) largest = i; });
  return { iteration, overflowAt, largestInput: largest,
           criticalAlpha: 2 / energy, suggestedAlpha: niceAlphaBelow(1 / energy) };
}

/** rules._train: record each step, watch the error, stop at the first non-finite number. */
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

/**
 * Listing.run: train one listing of the chapter data with the given settings
 * (frozen: sorted indices without repeats, as rules._settings leaves them).
 * The run also carries its step function and initial weights (for the panel's curves).
 */
export function runListing(listing, { alpha, iterations, frozen }) {
  const network = NETWORKS[listing.kind];
  const step = network.step(listing.inputs, listing.targets, alpha, frozen);
  const learning = network.learning(listing.inputs, listing.weights, frozen);
  const run = train(alpha, iterations, frozen.slice(), listing.weights, step, learning);
  return Object.assign(run, { kind: listing.kind, step, initialWeights: listing.weights });
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

/** format_run restricted to steps from … to-1 (the panel prints as it steps). */
export function formatSteps(run, from, to) {
  let text = "";
  for (let k = from; k < to; k++) text += stepLines(run, run.steps[k]).map((l) => l + "\n").join("");
  return text;
}

export const formatRun = (run) => formatSteps(run, 0, run.steps.length);

/** listings.run_to_dict, with Python's ints as BigInt: pyJson() of it is what --json prints. */
export function runToDict(name, run) {
  const d = run.diverged;
  const int = (v) => (v === null ? null : BigInt(v));
  return {
    listing: name, alpha: run.alpha, iterations: int(run.iterations), frozen: run.frozen.map(int),
    steps: run.steps.map((s) => ({ pred: s.pred, error: s.error, delta: s.delta, weights: s.weights,
      weight_deltas: s.weightDeltas, weights_after: s.weightsAfter })),
    diverged: d && { iteration: int(d.iteration), overflow_at: int(d.overflowAt),
      largest_input: int(d.largestInput), critical_alpha: d.criticalAlpha,
      suggested_alpha: d.suggestedAlpha },
  };
}

/** alpha as the command line shows it: Python's repr without a trailing ".0" (1.0 → 1). */
export const alphaText = (alpha) => pyRepr(alpha).replace(/\.0$/, "");

/** The listing the command runs: with nothing frozen, freeze-a is run as multi-input. */
export const commandName = (chapter, name, frozen) =>
  (frozen.length ? name : chapter.listings[name].unfrozen);

/** listings.command_line: alpha always; iterations and frozen when they differ from the book. */
export function commandLine(chapter, name, { alpha, iterations, frozen }) {
  const listing = chapter.listings[commandName(chapter, name, frozen)];
  const t = chapter.command;
  let text = fill(t.run, { name: listing.name }) + fill(t.alpha, { alpha: alphaText(alpha) });
  if (iterations !== listing.iterations) text += fill(t.iterations, { iterations: String(iterations) });
  const sameFrozen = frozen.length === listing.frozen.length && frozen.every((i, k) => i === listing.frozen[k]);
  if (!sameFrozen) text += fill(t.freeze, { frozen: frozen.map((i) => listing.freeze_args[i]).join(" ") });
  return text;
}

/**
 * listings.explain_divergence. withOverflow = false leaves out the overflow sentence (the
 * panel shows the explanation as soon as the error grows, before the run reaches the overflow).
 */
export function explainDivergence(chapter, name, run, withOverflow = true) {
  const listing = chapter.listings[name], d = run.diverged, text = chapter.divergence;
  const words = text[listing.explain];
  let what = fill(text.grew, { iteration: BigInt(d.iteration) });
  if (withOverflow && d.overflowAt !== null) what += fill(text.overflow, { overflow_at: BigInt(d.overflowAt) });
  const cause = listing.explain === "inputs"
    ? fill(words.cause, { input_name: chapter.names.inputs[d.largestInput],
                          input_value: listing.inputs[d.largestInput] })
    : fill(words.cause, { input_value: listing.inputs });
  return fill(text.text, {
    what, cause, energy: words.energy, remedy: words.remedy, critical_alpha: d.criticalAlpha,
    alpha: run.alpha, suggested_alpha: d.suggestedAlpha,
    command: commandLine(chapter, name, { alpha: d.suggestedAlpha, iterations: run.iterations,
                                          frozen: run.frozen }),
  });
}
