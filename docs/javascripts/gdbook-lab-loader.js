/*
 * Loads the "try it" panels (gdbook-lab.mjs, its engine and the chapter data: ~45 KB) only on
 * pages that have a <div class="gdbook-lab">, the first time such a page is shown — also when
 * Material's instant navigation swaps pages in. The module then mounts the panels itself on
 * every page (document$ replays the current page to a new subscriber).
 */
(function () {
  "use strict";
  const lab = new URL("gdbook-lab.mjs", document.currentScript.src).href;
  let loading = null;

  function check() {
    if (loading || !document.querySelector("div.gdbook-lab[data-listing]")) return;
    loading = import(lab).catch((err) => {
      loading = null;
      console.error("gdbook-lab:", err);
    });
  }

  if (window.document$) window.document$.subscribe(check);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", check);
  else check();
})();
