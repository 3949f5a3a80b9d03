/*
 * Two repairs to what mkdocs-material's JavaScript does to code blocks (it mounts each block
 * when it scrolls into view, so neither can be done at build time):
 * - each code block's <nav class="md-code__nav"> (the copy button's bar) gets a name of its
 *   own: several unnamed navigation landmarks on one page are an accessibility fault
 *   (axe-core: landmark-unique);
 * - Material removes the tabindex="0" that hooks/a11y.py gives every code block whenever the
 *   device has no hover (phones, headless browsers) or its measurement says the block does
 *   not scroll, and rebuilds some blocks' <code> without it; a block that scrolls must stay
 *   reachable with the keyboard (axe-core: scrollable-region-focusable), and on one that does
 *   not the tab stop is harmless.
 * Attributes only, nothing measured: no layout is forced.
 */
(function () {
  "use strict";
  let pending = 0;

  function fix() {
    pending = 0;
    // Named by its block's place among the page's code blocks: Material mounts blocks in the
    // order they scroll into view, not in page order.
    const navs = document.querySelectorAll("nav.md-code__nav:not([aria-label])");
    if (navs.length) {
      const blocks = Array.from(document.querySelectorAll(".highlight > pre"));
      navs.forEach((nav) => {
        nav.setAttribute("aria-label", `代码块 ${blocks.indexOf(nav.closest("pre")) + 1} 的操作`);
      });
    }
    document.querySelectorAll("pre > code:not([tabindex])").forEach((code) => {
      code.tabIndex = 0;
    });
  }

  // New nodes: look once per frame in which the page changed (also after instant
  // navigation), not on every single mutation. A removed tab stop: put back at once.
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === "childList") {
        if (!pending) pending = requestAnimationFrame(fix);
      } else if (!r.target.hasAttribute("tabindex") && r.target.matches("pre > code")) {
        r.target.setAttribute("tabindex", "0");
      }
    }
  }).observe(document.body, { childList: true, subtree: true, attributes: true,
                              attributeFilter: ["tabindex"] });
  fix();
})();
