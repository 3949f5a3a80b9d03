// "运行" buttons on code blocks: >>> blocks run as doctests, `python -m gdbook …` blocks run the
// CLI, embedded listings are editable and run. Python runs in a worker (gdbook-run-worker.mjs)
// started on the first click: until then nothing of Pyodide is downloaded. Output is text only.
// A classic script, not a module: on file:// module scripts don't load, and the buttons must
// still be there to say how to serve the site.
(() => {
const WORKER = new URL("gdbook-run-worker.mjs", document.currentScript.src);
let worker = null, next = 0;
const pending = new Map();        // request id -> finish(result)

function post(job, finish) {
  if (!worker) {
    worker = new Worker(WORKER, { type: "module" });
    worker.onmessage = ({ data }) => {
      const f = pending.get(data.id);
      if (f) f(data);
      if (f && !data.progress) pending.delete(data.id);
    };
  }
  job.id = ++next;
  pending.set(job.id, finish);
  worker.postMessage(job);
}

// Stop: the worker is the only way to interrupt Python; the next run starts a fresh one.
function stop() {
  worker.terminate();
  worker = null;
  for (const f of pending.values()) f({ status: "error", text: "已停止：Python 已重新启动，可以再运行。" });
  pending.clear();
}

function el(tag, cls, text) {
  const e = document.createElement(tag);
  e.className = cls;
  if (text) e.textContent = text;
  return e;
}

function setup(bar, kind, job, numpy) {
  const block = bar.previousElementSibling;
  const run = el("button", "md-button gdbook-run", numpy ? "需要 NumPy，页面里不能运行" : "运行");
  const live = el("span", "gdbook-run-live");
  live.setAttribute("role", "status");
  const out = el("pre", "gdbook-run-output");
  out.hidden = true;
  out.tabIndex = 0;
  bar.append(run);
  if (numpy) {
    run.disabled = true;
    run.title = "页面里的 Python 只有核心，没有 NumPy：请在自己的电脑上运行（见首页）";
  }
  if (kind === "listing" && !numpy) {
    const code = block.querySelector("pre > code"), html = code.innerHTML;
    code.contentEditable = "plaintext-only";
    code.spellcheck = false;
    code.setAttribute("aria-label", "可编辑的代码");
    const reset = el("button", "md-button gdbook-run-reset", "重置");
    reset.onclick = () => { code.innerHTML = html; live.textContent = "代码已还原"; };
    bar.append(reset);
  }
  bar.append(live);
  bar.after(out);
  let busy = false;
  run.onclick = () => {
    if (busy) return stop();
    out.hidden = false;
    if (location.protocol === "file:") {
      out.dataset.status = "error";
      out.textContent = "以 file:// 打开的页面不能加载 WebAssembly。请用 make serve，或在 site/ 里运行 python -m http.server，再用 http://127.0.0.1:8000/ 打开。";
      return;
    }
    busy = true;
    run.textContent = "停止";
    out.dataset.status = "running";
    out.textContent = "正在运行…";
    live.textContent = "正在运行";
    post(job(), (r) => {
      if (r.progress) return void (out.textContent = r.progress);
      busy = false;
      run.textContent = "运行";
      out.textContent = r.text;
      out.dataset.status = r.status;
      live.textContent = { passed: "运行完毕：全部通过", failed: "运行完毕：有例子未通过", done: "运行完毕", error: "运行出错" }[r.status];
    });
  };
}

// The build (hooks/run_bars.py) writes an empty bar after every block that runs in the page:
// its kind (data-run), whether the page's Python can run it (data-numpy: no NumPy here) and,
// for a listing, the page's command it ends with (data-command). Filling it moves nothing; a
// filled bar is already mounted.
function mount() {
  const text = (b) => b.querySelector("pre > code")?.textContent || "";
  const doctests = [];
  for (const bar of document.querySelectorAll("article .gdbook-run-bar[data-run]:empty")) {
    const b = bar.previousElementSibling, t = text(b), numpy = bar.hasAttribute("data-numpy");
    if (bar.dataset.run === "doctest") {
      const upTo = doctests.push(t);      // the page's examples share one namespace, as in pytest
      setup(bar, "doctest", () => ({ kind: "doctest", blocks: doctests.slice(0, upTo) }), numpy);
    } else if (bar.dataset.run === "command") {
      setup(bar, "command", () => ({ kind: "command", code: t }), numpy);
    } else if (bar.dataset.run === "listing") {
      const command = bar.dataset.command || null;
      setup(bar, "listing", () => ({ kind: "listing", original: t, code: text(b), command }), numpy);
    }
  }
}

// Material's document$ announces each page of instant navigation; it does not fire on file://
window.document$?.subscribe(mount);
document.addEventListener("DOMContentLoaded", mount);
})();
