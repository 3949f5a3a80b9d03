"""The one place that decides where caches live and how files are written."""
import os

import pytest

from gdbook import cache


def test_write_if_changed_writes_once_and_leaves_no_temp(tmp_path):
    target = tmp_path / "sub" / "f.bin"
    assert cache.write_if_changed(target, b"one") is True
    mtime = target.stat().st_mtime_ns
    assert cache.write_if_changed(target, b"one") is False
    assert target.stat().st_mtime_ns == mtime
    assert cache.write_if_changed(target, b"two") is True
    assert target.read_bytes() == b"two"
    assert sorted(p.name for p in target.parent.iterdir()) == ["f.bin"]


def test_a_failed_write_keeps_the_old_file_and_no_temp(tmp_path, monkeypatch):
    target = tmp_path / "f.bin"
    target.write_bytes(b"old")

    def crash(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        cache.write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["f.bin"]


def test_cache_root_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path))
    assert cache.cache_root() == tmp_path
    monkeypatch.delenv(cache.CACHE_ENV)
    assert cache.cache_root().name == ".gdbook-cache"
