"""Check a built site (default: site/) the way a reader's browser would use it.

* every internal href/src/srcset (HTML) and url()/@import (CSS) resolves to a file of the
  site, and every #anchor of an internal link exists on the page it points to;
* nothing is loaded from another host: no external <script src>, stylesheet, font, image,
  media or frame, no external url()/@import in CSS, no `import("https://…")` in inline
  scripts. Links (<a href>) and rel=canonical/prev/next to other hosts are fine;
* a page-weight report: per page the HTML, the scripts and stylesheets it loads, its
  images and, among them, its own generated figures (docs/figures/). Images are counted as
  a reader downloads them: one file of each <picture>, picked by its media queries, for
  the heaviest of four readers (light or dark palette, 1280 or 390 px wide).

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


# The readers a page's weight is counted for: the browser tests' two viewports (CSS px), in
# either palette. A page weighs what the heaviest-downloading of them downloads.
READERS = tuple((palette, width) for palette in ("light", "dark") for width in (1280, 390))
_MEDIA_FEATURE = re.compile(r"\(\s*(prefers-color-scheme|min-width|max-width)\s*:\s*([\w.]+)\s*\)")


def media_matches(media: str | None, palette: str, width: float) -> bool:
    """Whether a media query of the kinds the site writes (prefers-color-scheme, min-width and
    max-width in px or em, joined by "and") holds for a reader; any other query is taken to
    hold, so that its download is counted.

    >>> media_matches("(prefers-color-scheme: dark) and (max-width: 44.984375em)", "dark", 390)
    True
    >>> media_matches("(prefers-color-scheme: light) and (min-width: 45em)", "light", 390)
    False
    """
    for part in media.split(" and ") if media else ():
        match = _MEDIA_FEATURE.fullmatch(part.strip())
        if match is None:
            continue
        feature, value = match.groups()
        if feature == "prefers-color-scheme":
            holds = value == palette
        else:
            px = float(value[:-2]) * 16 if value.endswith("em") else float(value.removesuffix("px"))
            holds = width >= px if feature == "min-width" else width <= px
        if not holds:
            return False
    return True


@dataclass
class Ref:
    kind: str          # "link", "script", "stylesheet", "image", "asset"
    url: str
    lazy: bool = False # <img loading="lazy">
    media: str | None = None   # <source media>, <link rel=preload media>: fetched only if it holds
    choice: int | None = None  # every image's: refs of one <picture> or <img> (src, srcset) share
                               # it, and the browser downloads one of them


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
    images: int     # the images its heaviest reader downloads (_downloads), figures included
    figures: int    # its own generated figures, among those images

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
        self._choices = 0               # choices handed out (see Ref.choice)
        self._picture = None            # the choice of the <picture> we are in

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
            elif "preload" in rels and a.get("as") == "image":
                self.page.refs.append(Ref("image", a["href"], media=a.get("media"),
                                          choice=self._new_choice()))
            elif rels & ASSET_RELS:
                self.page.refs.append(Ref("asset", a["href"]))
            else:
                self.page.refs.append(Ref("link", a["href"]))
        if tag == "picture":
            self._picture = self._new_choice()
        choice = self._picture if tag in ("img", "source") and self._picture else \
            self._new_choice() if tag in ("img", "image") else None
        for attr in ("src", "srcset", "poster", "data", "href"):
            if (tag, attr) in ASSET_ATTRS and a.get(attr):
                kind = "image" if choice else {"script": "script"}.get(tag, "asset")
                urls = [c.strip().split()[0] for c in a[attr].split(",") if c.strip()] \
                    if attr == "srcset" else [a[attr]]
                lazy = tag == "img" and a.get("loading") == "lazy"
                self.page.refs.extend(Ref(kind, u, lazy, a.get("media") if tag == "source" else None,
                                          choice) for u in urls)
        if tag in ("style", "script") and not a.get("src"):
            self._in = tag

    def _new_choice(self) -> int:
        self._choices += 1
        return self._choices

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None
        if tag == "picture":
            self._picture = None

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
        code = 0
        seen: set[Path] = set()
        images = []                     # (ref, file, fragment), in the page's order
        for ref in page.refs:
            target, fragment = self._resolve(where, html, ref)
            if target is None:
                continue
            if ref.kind == "image":
                images.append((ref, target, fragment))
                continue
            if target in seen:
                continue
            seen.add(target)
            code += target.stat().st_size
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
        downloads = max((_downloads(images, *reader) for reader in READERS),
                        key=lambda files: sum(files.values()))
        figures = sum(size for file, size in downloads.items()
                      if "figures" in file.relative_to(self.site).parts)
        return Weight(where, html.stat().st_size, code, sum(downloads.values()), figures)

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


def _downloads(images: list, palette: str, width: float) -> dict[Path, int]:
    """{file: bytes} of the images one reader downloads: of each <picture> or <img>, the first
    candidate whose media holds (the <img> itself last); a preload if its media holds. A lazy
    figure marked #only-light / #only-dark is never downloaded in the other palette (its
    palette hides it; the browser tests check that it is never requested)."""
    groups: dict[int, list] = {}
    for ref, target, fragment in images:
        groups.setdefault(ref.choice, []).append((ref, target, fragment))
    hidden = "only-dark" if palette == "light" else "only-light"
    files = {}
    for group in groups.values():
        if any(ref.lazy and fragment == hidden for ref, _, fragment in group):
            continue
        chosen = next((target for ref, target, _ in group
                       if media_matches(ref.media, palette, width)), None)
        if chosen is not None:
            files[chosen] = chosen.stat().st_size
    return files


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
