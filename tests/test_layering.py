"""The domain packages know nothing of Textual, imports run down the layers only (both as
import-linter contracts in pyproject.toml, run here over every module), and the answer language
loads without SymPy."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
import tomllib
from pathlib import Path

import tutor

ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = {c["id"]: c for c in tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]}
NOT_DOMAIN = {"tutor.ui", "tutor.cli", "tutor.__main__"}  # the UI, and the entry points that start it


def top_level_modules() -> set[str]:
    return {f"tutor.{m.name}" for m in pkgutil.iter_modules(tutor.__path__)}


def test_the_contracts_cover_every_domain_package():
    domain = top_level_modules() - NOT_DOMAIN
    assert set(CONTRACTS["headless-domain"]["source_modules"]) == domain
    layered = {name.strip() for layer in CONTRACTS["domain-layers"]["layers"] for name in layer.split("|")}
    assert layered == domain


def test_import_contracts_hold():
    script = Path(sys.executable).parent / "lint-imports"  # import-linter's command, beside this Python
    result = subprocess.run([str(script), "--no-cache", str(ROOT / "pyproject.toml")],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


def modules_after_import(*names: str) -> set[str]:
    code = "import importlib, sys\n" + "".join(f"importlib.import_module({n!r})\n" for n in names) + \
        "print('\\n'.join(sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(result.stdout.split())


def test_every_domain_module_imports_without_textual():
    # The contract reads the source; this imports every module, lazy imports at the top included.
    domain = sorted(m.name for m in pkgutil.walk_packages(tutor.__path__, "tutor.")
                    if not any(m.name == n or m.name.startswith(n + ".") for n in NOT_DOMAIN))
    assert len(domain) > 80
    loaded = modules_after_import(*domain)
    assert set(domain) <= loaded
    assert not any(m == "textual" or m.startswith("textual.") for m in loaded)


def test_parsing_does_not_import_sympy():
    loaded = modules_after_import("tutor.mathlang", "tutor.checking")
    assert "sympy" not in loaded


def test_reading_a_course_loads_no_engine():
    loaded = modules_after_import("tutor.lessons.loader", "tutor.kinds")
    assert not {"sympy", "numpy", "tutor.gd.simulate", "tutor.sandbox.runner"} & loaded
