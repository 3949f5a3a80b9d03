# `make` lists the targets. Every target but help and clean creates .venv on first use.
PYTHON ?= python3
PORT   ?= 8000
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
# mkdocs-material prints a banner about its successor on every run; it says nothing about ours
MKDOCS := NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs
PYTEST := NO_MKDOCS_2_WARNING=1 $(BIN)/python -m pytest

.DEFAULT_GOAL := help
.PHONY: help site serve test test-fast screenshots clean

help:                 ## 列出这些目标（直接运行 make 也是这个）
	@echo "用法：make 目标    （第一次运行会先在 .venv/ 里安装依赖，约 1 分钟）"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*## /  \1\t/' | expand -t 14

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "gdbook 需要 Python 3.11 或更新版本（%s 是 %s）；可用 make PYTHON=python3.11 …" % (sys.executable, sys.version.split()[0]))'
	@echo "第一次运行：在 .venv/ 里安装 gdbook 与建网站、跑测试所需的包（约 100 个包、400 MB，联网约 1 分钟）"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --no-compile -e '.[site,test]'
	@touch $@

site: $(STAMP)        ## 构建网站到 site/（mkdocs build --strict，任何警告都算失败）
	$(MKDOCS) build --strict

serve:                ## 实时预览 http://127.0.0.1:8000/gdbook/（换端口：make serve PORT=8001）
	@$(PYTHON) scripts/port_free.py $(PORT)
	@$(MAKE) --no-print-directory $(STAMP)
	$(MKDOCS) serve --dev-addr 127.0.0.1:$(PORT)

# One pytest worker per CPU (pytest-xdist); an idle worker takes tests from a busy one
# (worksteal), so the long browser tests do not leave one CPU waiting at the end.
test: $(STAMP)        ## 全部测试，包括浏览器测试和 gdbook/、docs/ 里的 doctest（2 核机器上约 1 分 45 秒）
	$(PYTEST) -n auto --dist worksteal

test-fast: $(STAMP)   ## 除浏览器测试以外的全部测试（不开浏览器，约 35 秒）
	$(PYTEST) -m "not browser" -n auto --dist worksteal

screenshots: $(STAMP) ## 每一页浅色、深色、桌面和手机宽度的截图，存到 build/screenshots/（约 1.5 分钟）
	GDBOOK_SCREENSHOTS=build/screenshots $(PYTEST) tests/browser/test_site_browser.py -k "page_in_palette or phone"

clean:                ## 删除 site/、.venv/（以及 CI 的 build/venv-debian/）和缓存 .gdbook-cache/
	rm -rf site $(VENV) build/venv-debian .gdbook-cache
