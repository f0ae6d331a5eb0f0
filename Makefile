# 常用命令：make example（生成示例讲话稿）、make test（运行全部测试）
VENV ?= .venv
PY := $(VENV)/bin/python

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

.PHONY: setup example test lint-bank preview
setup: $(VENV)/.installed

example: setup
	$(VENV)/bin/draftgen build examples/school/brief.yaml -o 输出/ --force

test: setup
	$(VENV)/bin/draftgen bank lint
	$(PY) -m pytest -q

lint-bank: setup
	$(VENV)/bin/draftgen bank lint

preview: setup
	bash scripts/render_preview.sh
