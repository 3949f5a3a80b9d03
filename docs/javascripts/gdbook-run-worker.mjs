// The page's Python: Pyodide (self-hosted under assets/vendor/pyodide/) in a Web Worker, so a
// long run never freezes the page and "stop" can simply terminate the worker.
// Started by gdbook-run.js on the reader's first click. It loads Pyodide's core, unpacks
// gdbook-py.zip (gdbook's pure-Python modules, zipped at site build by gdbook/pagezip.py: the
// code the tests check) and hands every request to gdbook.pagerun.handle, which returns
// {text, status}. Messages to the page: {id, progress: text} while loading, then {id, text, status}.
const vendor = new URL("../assets/vendor/pyodide/", import.meta.url);
const zipURL = new URL("generated/gdbook-py.zip", import.meta.url);
const MB = (n) => (n / 1048576).toFixed(1) + " MB";
let current = 0;                  // the request that started loading: it shows the progress
let downloaded = 0;
const say = (progress) => postMessage({ id: current, progress });

// Count the bytes of every file Pyodide fetches, so the progress line can say what is loading
// and how big it is. The response is rebuilt around a counting stream with the same headers
// (Content-Type application/wasm keeps WebAssembly.instantiateStreaming working).
const realFetch = self.fetch.bind(self);
self.fetch = async (input, init) => {
  const response = await realFetch(input, init);
  if (!response.ok || !response.body) return response;
  const name = decodeURIComponent(new URL(response.url).pathname.split("/").pop());
  const size = Number(response.headers.get("Content-Length")) || 0;
  let got = 0;
  const reader = response.body.getReader();
  const body = new ReadableStream({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) return controller.close();
      got += value.length;
      downloaded += value.length;
      say(`正在下载 Python 运行环境：${name}（${MB(got)} / ${size ? MB(size) : "?"}），已下载 ${MB(downloaded)}`);
      controller.enqueue(value);
    },
  });
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
};

async function start() {
  const started = performance.now();
  say("正在下载 Python 运行环境（Pyodide，约 13 MB，只下载一次）…");
  const { loadPyodide } = await import(new URL("pyodide.mjs", vendor).href);
  const py = await loadPyodide({ indexURL: vendor.href });
  say("正在载入 gdbook 的代码（gdbook-py.zip）…");
  const zip = await (await fetch(zipURL)).arrayBuffer();
  // Into a folder of its own under Python's working directory (Pyodide's in-memory home),
  // put first on the path. No .pyc: an edited listing is written back into the package and
  // must be read afresh.
  py.unpackArchive(zip, "zip", { extractDir: "gdbook-web" });
  py.runPython("import os, sys; sys.dont_write_bytecode = True; sys.path.insert(0, os.path.abspath('gdbook-web'))");
  const handle = py.pyimport("gdbook.pagerun").handle;
  say(`Python 已就绪（下载 ${MB(downloaded)}，用时 ${((performance.now() - started) / 1000).toFixed(1)} s），正在运行…`);
  return handle;
}

let ready = null;
self.onmessage = async ({ data }) => {
  current = data.id;
  try {
    const handle = await (ready ??= start());
    postMessage({ id: data.id, ...JSON.parse(handle(JSON.stringify(data))) });
  } catch (error) {
    ready = null;                 // a failed start is tried again on the next click
    postMessage({ id: data.id, status: "error", text: `页面里的 Python 出错了：${error.message || error}` });
  }
};
