"""MkDocs hook: write the panels' chapter data (gdbook.pagedata) before every build.

Tiny on purpose: the lead may fold this call into the gdbook MkDocs plugin.
"""
from gdbook.pagedata import write_page_data


def on_pre_build(config):
    write_page_data(config.docs_dir)
