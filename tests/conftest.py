from __future__ import annotations

import pytest

from tutor.checking.service import CheckService


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
