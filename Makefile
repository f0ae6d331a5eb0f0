# 常用命令：make example（生成示例讲话稿）、make test（运行全部测试）
VENV ?= .venv
PY := $(VENV)/bin/python

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	@echo "正在安装依赖（日志：$(VENV)/install.log）……"
	@$(PY) -m pip install -q -e '.[test]' > $(VENV)/install.log 2>&1 || (cat $(VENV)/install.log; exit 1)
	@# Byte-compile now, as pip does for an installed package: a shell with PYTHONDONTWRITEBYTECODE set
	@# would otherwise compile the sources again on every run.
	@$(PY) -m compileall -q generator > /dev/null
	@touch $@

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
	$(PY) scripts/render_preview.py
