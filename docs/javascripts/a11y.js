/*
 * Gives each code block's <nav class="md-code__nav"> (made by mkdocs-material's JavaScript for
 * its copy button, so not reachable at build time) a name of its own: several unnamed
 * navigation landmarks on one page are an accessibility fault (axe-core: landmark-unique).
 * Keyboard access to wide code blocks and formulas is given at build time (hooks/a11y.py).
 */
(function () {
  "use strict";
  let pending = 0;

  function nameCodeNavs() {
    pending = 0;
    document.querySelectorAll("nav.md-code__nav").forEach((nav, i) => {
      if (!nav.hasAttribute("aria-label")) nav.setAttribute("aria-label", `代码块 ${i + 1} 的操作`);
    });
  }

  // Material adds the navs after a page is shown (also after instant navigation): look once
  // per frame in which the page changed, not on every single mutation.
  new MutationObserver(() => {
    if (!pending) pending = requestAnimationFrame(nameCodeNavs);
  }).observe(document.body, { childList: true, subtree: true });
})();
