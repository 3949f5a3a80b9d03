/*
 * Small accessibility fixes for markup that mkdocs-material's JavaScript creates, so they
 * cannot be made in templates or at build time:
 *  - each code block gets a <nav class="md-code__nav"> for its copy button: several unnamed
 *    navigation landmarks on one page, so each gets a distinct name;
 *  - a region that scrolls sideways (a long code line, a wide formula) must
 *    be reachable with the keyboard, so it gets tabindex="0" while it overflows.
 */
(function () {
  "use strict";
  const SCROLLERS = ".md-typeset pre > code, .md-typeset div.arithmatex";

  function nameCodeNavs() {
    document.querySelectorAll("nav.md-code__nav:not([aria-label])").forEach((nav, i) => {
      nav.setAttribute("aria-label", "代码块 " + (i + 1) + " 的操作");
    });
  }

  function focusScrollers() {
    for (const el of document.querySelectorAll(SCROLLERS)) {
      const scrolls = el.scrollWidth > el.clientWidth + 1;
      if (scrolls && !el.hasAttribute("tabindex")) {
        el.setAttribute("tabindex", "0");
        el.dataset.gdbookTabindex = "";
      } else if (!scrolls && "gdbookTabindex" in el.dataset) {
        el.removeAttribute("tabindex");
        delete el.dataset.gdbookTabindex;
      }
    }
  }

  function fix() {
    nameCodeNavs();
    focusScrollers();
  }

  // Material adds the code-block navs after the page is swapped in: watch for them.
  new MutationObserver(nameCodeNavs).observe(document.body, { childList: true, subtree: true });
  if (window.document$) window.document$.subscribe(() => requestAnimationFrame(fix));
  else document.addEventListener("DOMContentLoaded", fix);
  let pending = 0;
  window.addEventListener("resize", () => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(focusScrollers);
  });
})();
