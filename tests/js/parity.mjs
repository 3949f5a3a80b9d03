// Runs docs/javascripts/gdbook-engine.mjs on what tests/test_page_engine.py asks for and
// prints the answers as JSON; the Python test compares them with gdbook's own.
//
//   node tests/js/parity.mjs CHAPTER.mjs < request.json
//
// CHAPTER.mjs is a page data module written by gdbook.pagedata.write_page_data. The request:
//   {"runs": [{"name", "alpha", "iterations", "frozen"}],   null = the listing's own value
//    "doubles": ["16 hex digits of the IEEE bits", …], "precisions": [p, …],
//    "limits": [bits, …], "sums": [[bits, …], …]}
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import * as engine from "../../docs/javascripts/gdbook-engine.mjs";

const chapter = (await import(pathToFileURL(process.argv[2]).href)).default;
const request = JSON.parse(readFileSync(0, "utf8"));

const view = new DataView(new ArrayBuffer(8));
const fromBits = (hex) => { view.setBigUint64(0, BigInt("0x" + hex)); return view.getFloat64(0); };
const toBits = (x) => { view.setFloat64(0, x); return view.getBigUint64(0).toString(16).padStart(16, "0"); };

const runs = request.runs.map(({ name, alpha, iterations, frozen }) => {
  const listing = chapter.listings[name];
  const settings = { alpha: alpha ?? listing.alpha, iterations: iterations ?? listing.iterations,
                     frozen: frozen ?? listing.frozen };
  const run = engine.runListing(listing, settings);
  return {
    command: engine.commandLine(chapter, name, settings),
    stdout: engine.formatRun(run),
    json: engine.pyJson(engine.runToDict(engine.commandName(chapter, name, settings.frozen), run)),
    explanation: run.diverged ? engine.explainDivergence(chapter, name, run) : null,
  };
});

const doubles = request.doubles.map(fromBits);
const printed = doubles.map((x) => [engine.pyRepr(x), ...request.precisions.map((p) => engine.pyFormatG(x, p))]);
const nice = request.limits.map((bits) => toBits(engine.niceAlphaBelow(fromBits(bits))));
const sums = request.sums.map((values) => toBits(engine.fsum(values.map(fromBits))));

process.stdout.write(JSON.stringify({ runs, printed, nice, sums }));
