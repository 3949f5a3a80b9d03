"""MkDocs hooks of the site (listed under `hooks:` in mkdocs.yml), beside overrides/.

MkDocs loads each file by its path; the package only lets the tests import them
(`from hooks import katex`) with the repository root on the path, as pytest puts it there.
"""
