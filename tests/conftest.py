from __future__ import annotations

import os

import pytest
from hypothesis import settings

from tutor.checking.service import CheckService

# The suite is a gate: property tests try the same examples on every run (derandomized, no
# example database), so a run's verdict never depends on luck. HYPOTHESIS_PROFILE=explore draws
# fresh examples to look for new counterexamples; pin each one found as a named test.
settings.register_profile("gate", derandomize=True, database=None, print_blob=True)
settings.register_profile("explore", print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "gate"))


@pytest.fixture(scope="session")
def service():
    """One warm checker worker for the whole run, as the app and the CLI use it."""
    svc = CheckService(budget_s=5.0)  # generous: CI machines are slow and noisy
    svc.warm()
    yield svc
    svc.close()


@pytest.fixture(autouse=True)
def _isolated_saves(tmp_path_factory, monkeypatch):
    """No test writes to the checkout's saves/ folder: every run gets its own save directory."""
    monkeypatch.setenv("TUTOR_SAVE_DIR", str(tmp_path_factory.mktemp("saves")))
