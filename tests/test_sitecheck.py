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
