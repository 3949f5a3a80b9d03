/*
 * Loads the "try it" panels (gdbook-lab.mjs, its engine and the chapter data: ~45 KB) only on
 * pages that have a <div class="gdbook-lab">, and only when a reader gets near one: when the
 * text just above a panel comes within a screen's height of the window, or at the first Tab
 * key (keyboard readers reach the panel's fields without scrolling first). A panel closes its
 * section, far below the page's first screen, so the page's own load never waits for it:
 * parsing the module and drawing its charts was one of the longest tasks of a panel page on
 * a slow phone. The module mounts the panels itself on every page (document$ replays the
 * current page to a new subscriber), also when Material's instant navigation swaps pages in.
 */
(function () {
  "use strict";
  const lab = new URL("gdbook-lab.mjs", document.currentScript.src).href;
  let loading = null, observer = null;

  const panels = () => document.querySelectorAll("div.gdbook-lab[data-listing]");

  function load() {
    if (loading || !panels().length) return;
    if (observer) observer.disconnect();
    loading = import(lab).catch((err) => {
      loading = null;
      console.error("gdbook-lab:", err);
    });
  }

  // An empty panel is display:none until mounted, so the observer watches what precedes it.
  function watch() {
    if (loading || !panels().length) return;
    if (!window.IntersectionObserver) return load();
    if (observer) observer.disconnect();
    observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) load();
    }, { rootMargin: "0px 0px 100% 0px" });
    panels().forEach((panel) => observer.observe(panel.previousElementSibling || panel.parentElement));
  }

  document.addEventListener("keydown", (event) => { if (event.key === "Tab") load(); });
  if (window.document$) window.document$.subscribe(watch);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watch);
  else watch();
})();
