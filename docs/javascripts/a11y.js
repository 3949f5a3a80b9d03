/*
 * Keyboard and screen-reader fixes for what mkdocs-material's JavaScript builds around code
 * blocks, so they cannot be made in the templates or at build time:
 *  - each code block gets a <nav class="md-code__nav"> for its copy button: several unnamed
 *    navigation landmarks on one page, so each gets a name of its own (axe: landmark-unique);
 *  - Material rebuilds each block's <code> (dropping the tabindex hooks/a11y.py gave it), and
 *    a long line makes it scroll sideways: a scrolling region must be reachable with the
 *    keyboard (axe: scrollable-region-focusable), so every <code> of a block gets tabindex 0.
 * Attributes only, nothing measured: no layout is forced.
 */
(function () {
  "use strict";
  let pending = 0;

  function fix() {
    pending = 0;
    document.querySelectorAll("nav.md-code__nav").forEach((nav, i) => {
      if (!nav.hasAttribute("aria-label")) nav.setAttribute("aria-label", `代码块 ${i + 1} 的操作`);
    });
    document.querySelectorAll("pre > code:not([tabindex])").forEach((code) => {
      code.tabIndex = 0;
    });
  }

  // Material builds these after a page is shown (also after instant navigation): look once
  // per frame in which the page changed, not on every single mutation.
  new MutationObserver(() => {
    if (!pending) pending = requestAnimationFrame(fix);
  }).observe(document.body, { childList: true, subtree: true });
  fix();
})();
