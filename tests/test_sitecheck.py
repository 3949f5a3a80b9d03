"""gdbook.sitecheck finds what it promises to find, on a small site made here."""
from gdbook.sitecheck import check_site


def _site(tmp_path, index, css="body { color: red; }"):
    (tmp_path / "index.html").write_text(index, encoding="utf-8")
    (tmp_path / "page").mkdir()
    (tmp_path / "page" / "index.html").write_text('<h1 id="top">x</h1>', encoding="utf-8")
    (tmp_path / "style.css").write_text(css, encoding="utf-8")
    return check_site(tmp_path, "/base/")


def test_a_clean_site_has_no_problems(tmp_path):
    report = _site(tmp_path, '<link rel="stylesheet" href="style.css"><a href="page/#top">ok</a>')
    assert report.problems == [] and report.ok
    assert [w.page for w in report.weights] == ["index.html", "page/index.html"]


def test_every_kind_of_problem_is_reported(tmp_path):
    report = _site(tmp_path,
                   '<link rel="stylesheet" href="style.css">'
                   '<script src="https://cdn.example/x.js"></script>'
                   '<img src="missing.png">'
                   '<a href="page/#nowhere">anchor</a>'
                   '<script src=""></script>',
                   css='@import "https://fonts.example/a.css"; body { background: url(gone.png); }')
    found = "\n".join(report.problems)
    assert not report.ok
    for expected in ("https://cdn.example/x.js from another host (script)",
                     "image missing.png not found",
                     'no id "nowhere"',
                     "empty src",
                     "https://fonts.example/a.css from another host (CSS)",
                     "gone.png not found (CSS)"):
        assert expected in found, (expected, found)


def test_a_page_weighs_what_its_heaviest_reader_downloads(tmp_path):
    """Of a <picture>, a reader downloads the first source whose media holds, or the <img>; a
    preload only if its media holds; a lazy figure marked #only-dark not in the light palette.
    The weight is the heaviest of the four readers (light or dark, 1280 or 390 px)."""
    figures = tmp_path / "figures"
    figures.mkdir()
    sizes = {"a.light.svg": 100, "a.dark.svg": 200, "a.narrow.light.svg": 400,
             "a.narrow.dark.svg": 800, "b.light.png": 1_000, "b.dark.png": 3_000,
             "logo.png": 10_000}
    for name, size in sizes.items():
        (figures if name != "logo.png" else tmp_path).joinpath(name).write_bytes(b"x" * size)
    narrow = "(max-width: 44.984375em)"
    report = _site(tmp_path,
                   f'<link rel="preload" as="image" href="figures/a.dark.svg" '
                   f'media="(prefers-color-scheme: dark) and (min-width: 45em)">'
                   f'<picture><source media="(prefers-color-scheme: dark) and {narrow}" '
                   f'srcset="figures/a.narrow.dark.svg"><source media="(prefers-color-scheme: dark)" '
                   f'srcset="figures/a.dark.svg"><source media="{narrow}" srcset="figures/a.narrow.light.svg">'
                   f'<img src="figures/a.light.svg"></picture>'
                   f'<img src="figures/b.light.png#only-light" loading="lazy">'
                   f'<img src="figures/b.dark.png#only-dark" loading="lazy">'
                   f'<img src="logo.png">')
    weight = next(w for w in report.weights if w.page == "index.html")
    assert report.problems == []
    # light 1280: 100 + 1000; light 390: 400 + 1000; dark 1280: 200 + 3000; dark 390: 800 + 3000
    assert (weight.figures, weight.images) == (3_800, 13_800)
