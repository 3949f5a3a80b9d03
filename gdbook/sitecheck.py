"""Check a built site (default: site/) the way a reader's browser would use it.

* every internal href/src/srcset (HTML) and url()/@import (CSS) resolves to a file of the
  site, and every #anchor of an internal link exists on the page it points to;
* nothing is loaded from another host: no external <script src>, stylesheet, font, image,
  media or frame, no external url()/@import in CSS, no `import("https://…")` in inline
  scripts. Links (<a href>) and rel=canonical/prev/next to other hosts are fine;
* a page-weight report: per page the HTML, the scripts and stylesheets it loads, its
  images and, among them, its own generated figures (docs/figures/).

Absolute paths ("/gdbook/…", used by 404.html) are read relative to the path of
`site_url` in mkdocs.yml. Standard library only. Layer 5 (a face of the package, like the
CLI); run it from the repository root:

    python -m gdbook.sitecheck [SITE_DIR] [--base /gdbook/] [--no-weights]

Exit status 0 if the site is clean, 1 if a problem was found, 2 on bad usage.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


# rel values whose href the browser fetches (everything else, e.g. canonical, is a link)
ASSET_RELS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "preload",
              "modulepreload", "prefetch", "manifest", "mask-icon"}
# (tag, attribute) pairs the browser fetches as part of the page
ASSET_ATTRS = {("script", "src"), ("img", "src"), ("img", "srcset"), ("source", "src"),
               ("source", "srcset"), ("video", "src"), ("video", "poster"),
               ("audio", "src"), ("track", "src"), ("iframe", "src"), ("embed", "src"),
               ("object", "data"), ("image", "href"), ("input", "src")}
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)|@import\s+(['"])([^'"]+)\3""")
INLINE_IMPORT = re.compile(r"""\bimport\s*(?:\(\s*|[\w{}\s,*]+\s+from\s+)["'](https?:)?//""")
IGNORED_SCHEMES = {"mailto", "tel", "javascript", "data", "blob", "about"}


@dataclass
class Ref:
    kind: str          # "link", "script", "stylesheet", "image", "asset"
    url: str
    lazy: bool = False # <img loading="lazy">


@dataclass
class Page:
    path: Path                     # relative to the site root, e.g. multi-input/index.html
    ids: set[str] = field(default_factory=set)
    refs: list[Ref] = field(default_factory=list)
    inline_css: list[str] = field(default_factory=list)
    inline_js: list[str] = field(default_factory=list)
    empty_src: int = 0             # <script src=""> (a leftover of a removed loader)


@dataclass
class Weight:
    page: str
    html: int
    code: int       # scripts and stylesheets (shared by most pages)
    images: int     # every image the page loads, figures included
    figures: int    # its own generated figures, as one palette downloads them (see below)

    @property
    def total(self) -> int:
        return self.html + self.code + self.images


@dataclass
class Report:
    problems: list[str]
    weights: list[Weight]

    @property
    def ok(self) -> bool:
        return not self.problems


class _PageParser(HTMLParser):
    def __init__(self, page: Page):
        super().__init__(convert_charrefs=True)
        self.page = page
        self._in = None                 # "style" or "script" while inside one

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("id", "name") if tag == "a" else ("id",):
            if a.get(key):
                self.page.ids.add(a[key])
        if a.get("style") and "url(" in a["style"]:
            self.page.inline_css.append(a["style"])
        if tag == "script" and "src" in a and not (a["src"] or "").strip():
            self.page.empty_src += 1
        if tag == "a" and a.get("href") is not None:
            self.page.refs.append(Ref("link", a["href"]))
        elif tag == "link" and a.get("href"):
            rels = set((a.get("rel") or "").lower().split())
            if "stylesheet" in rels:
                self.page.refs.append(Ref("stylesheet", a["href"]))
            elif rels & ASSET_RELS:
                self.page.refs.append(Ref("asset", a["href"]))
            else:
                self.page.refs.append(Ref("link", a["href"]))
        for attr in ("src", "srcset", "poster", "data", "href"):
            if (tag, attr) in ASSET_ATTRS and a.get(attr):
                kind = {"script": "script", "img": "image", "image": "image"}.get(tag, "asset")
                urls = [c.strip().split()[0] for c in a[attr].split(",") if c.strip()] \
                    if attr == "srcset" else [a[attr]]
                lazy = tag == "img" and a.get("loading") == "lazy"
                self.page.refs.extend(Ref(kind, u, lazy) for u in urls)
        if tag in ("style", "script") and not a.get("src"):
            self._in = tag

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in == "style":
            self.page.inline_css.append(data)
        elif self._in == "script":
            self.page.inline_js.append(data)


def is_external(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.netloc) or parts.scheme in ("http", "https")


def _target(site: Path, base: str, origin: Path, url: str) -> tuple[Path | None, str]:
    """Resolve an internal URL found in file `origin` to (file in the site or None, fragment)."""
    parts = urlsplit(url)
    path = unquote(parts.path)
    if not path:
        return origin, unquote(parts.fragment)
    if path.startswith("/"):
        if not path.startswith(base):
            return None, ""
        candidate = site / path[len(base):]
    else:
        candidate = origin.parent / path
    candidate = Path(os.path.normpath(candidate))
    if candidate.is_dir():
        candidate = candidate / "index.html"
    if site not in candidate.parents and candidate != site:
        return None, ""
    return (candidate if candidate.is_file() else None), unquote(parts.fragment)


def site_base(config: str | os.PathLike = "mkdocs.yml") -> str:
    """The path part of site_url ("/gdbook/"), read without evaluating the YAML tags."""
    try:
        text = Path(config).read_text(encoding="utf-8")
    except OSError:
        return "/"
    match = re.search(r"^site_url:\s*(\S+)", text, re.M)
    path = urlsplit(match.group(1)).path if match else "/"
    return path if path.endswith("/") else path + "/"


def check_site(site_dir: str | os.PathLike = "site", base: str | None = None) -> Report:
    """Check the built site in `site_dir`; see the module docstring."""
    site = Path(site_dir).resolve()
    if not (site / "index.html").is_file():
        return Report([f"{site}: no index.html (build the site first: make site)"], [])
    pages: dict[Path, Page] = {}
    for html in sorted(site.rglob("*.html")):
        page = Page(html.relative_to(site))
        _PageParser(page).feed(html.read_text(encoding="utf-8"))
        pages[html] = page
    checker = _Checker(site, base or site_base(), pages)
    weights = [checker.page(html, page) for html, page in pages.items()]
    return Report(checker.problems, weights)


class _Checker:
    """The checks of one site: every page's references, the stylesheets they pull in."""

    def __init__(self, site: Path, base: str, pages: dict[Path, Page]):
        self.site, self.base, self.pages = site, base, pages
        self.problems: list[str] = []
        self._css: dict[Path, list[str]] = {}

    def css_refs(self, css: Path) -> list[str]:
        if css not in self._css:
            text = css.read_text(encoding="utf-8", errors="replace")
            self._css[css] = [m.group(2) or m.group(4) for m in CSS_URL.finditer(text)]
        return self._css[css]

    def check_css(self, where: str, origin: Path, urls: list[str], seen: set[Path]) -> int:
        """Check url()s of a stylesheet; return the bytes of stylesheets it @imports."""
        extra = 0
        for url in urls:
            if urlsplit(url).scheme in IGNORED_SCHEMES or url.startswith("#"):
                continue
            if is_external(url):
                self.problems.append(f"{where}: loads {url} from another host (CSS)")
                continue
            target, _ = _target(self.site, self.base, origin, url)
            if target is None:
                self.problems.append(f"{where}: {url} not found (CSS)")
            elif target.suffix == ".css" and target not in seen:
                seen.add(target)
                extra += target.stat().st_size
                extra += self.check_css(str(target.relative_to(self.site)), target,
                                        self.css_refs(target), seen)
        return extra

    def page(self, html: Path, page: Page) -> Weight:
        """Check one page's references and scripts; return what a reader downloads for it."""
        where = str(page.path)
        code = other_images = 0
        by_palette = {"only-light": 0, "only-dark": 0}   # images, figures and others
        seen: set[Path] = set()
        for ref in page.refs:
            target, fragment = self._resolve(where, html, ref)
            if target is None or target in seen:
                continue
            seen.add(target)
            size = target.stat().st_size
            if ref.kind == "image":
                # A lazy figure marked #only-light / #only-dark is downloaded only in its
                # palette (the browser tests check that the hidden one is never requested):
                # count what a reader in one palette downloads, the heavier of the two.
                palette = fragment if ref.lazy and fragment in ("only-light", "only-dark") else None
                for name in ([palette] if palette else ["only-light", "only-dark"]):
                    by_palette[name] += size
                if "figures" not in target.relative_to(self.site).parts:
                    other_images += size
            else:
                code += size
            if ref.kind == "stylesheet":
                code += self.check_css(f"{where} → {target.relative_to(self.site)}", target,
                                       self.css_refs(target), seen)
        for css in page.inline_css:
            self.check_css(f"{where} (inline style)", html,
                           [m.group(2) or m.group(4) for m in CSS_URL.finditer(css)], seen)
        if page.empty_src:
            self.problems.append(f"{where}: {page.empty_src} <script> with an empty src")
        for js in page.inline_js:
            if INLINE_IMPORT.search(js):
                self.problems.append(f"{where}: an inline script imports a module from another host")
        images = max(by_palette.values())
        return Weight(where, html.stat().st_size, code, images, images - other_images)

    def _resolve(self, where: str, html: Path, ref) -> tuple[Path | None, str]:
        """The file an asset reference loads, or None (a link, checked here, or a problem)."""
        if urlsplit(ref.url).scheme in IGNORED_SCHEMES:
            return None, ""
        if is_external(ref.url):
            if ref.kind != "link":
                self.problems.append(f"{where}: loads {ref.url} from another host ({ref.kind})")
            return None, ""
        target, fragment = _target(self.site, self.base, html, ref.url)
        if target is None:
            self.problems.append(f"{where}: {ref.kind} {ref.url} not found")
            return None, ""
        if ref.kind == "link":
            if fragment and target.suffix == ".html" and fragment not in self.pages[target].ids:
                self.problems.append(f"{where}: link {ref.url}: no id \"{fragment}\" "
                                     f"on {target.relative_to(self.site)}")
            return None, ""
        return target, fragment


def format_weights(weights: list[Weight]) -> str:
    kb = lambda n: f"{n / 1024:8.1f}"  # noqa: E731
    lines = [f"{'page':<44}{'HTML':>8}{'JS+CSS':>8}{'images':>8}{'figures':>8}{'total':>8}  (KB)"]
    for w in sorted(weights, key=lambda w: w.page):
        lines.append(f"{w.page:<44}{kb(w.html)}{kb(w.code)}{kb(w.images)}{kb(w.figures)}{kb(w.total)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gdbook.sitecheck",
                                     description="Check links, external assets and page weight of a built site.")
    parser.add_argument("site", nargs="?", default="site", help="built site (default: site/)")
    parser.add_argument("--base", help="path of site_url (default: read from mkdocs.yml)")
    parser.add_argument("--no-weights", action="store_true", help="do not print the page-weight report")
    args = parser.parse_args(argv)

    report = check_site(args.site, args.base)
    if not args.no_weights and report.weights:
        print(format_weights(report.weights))
        print()
    for problem in report.problems:
        print(f"PROBLEM: {problem}")
    print(f"{len(report.weights)} pages checked, {len(report.problems)} problems")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
