"""The domain packages know nothing of Textual, and the answer language loads without SymPy."""

from __future__ import annotations

import subprocess
import sys

DOMAIN = ["tutor.mathlang", "tutor.checking", "tutor.checking.engine", "tutor.checking.service",
          "tutor.lessons.loader", "tutor.lessons.validate", "tutor.progress", "tutor.commands.compare"]


def modules_after_import(*names: str) -> set[str]:
    code = "import importlib, sys\n" + "".join(f"importlib.import_module({n!r})\n" for n in names) + \
        "print('\\n'.join(sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(result.stdout.split())


def test_domain_never_imports_textual():
    loaded = modules_after_import(*DOMAIN)
    assert not any(m == "textual" or m.startswith("textual.") for m in loaded)


def test_parsing_does_not_import_sympy():
    loaded = modules_after_import("tutor.mathlang", "tutor.checking")
    assert "sympy" not in loaded
