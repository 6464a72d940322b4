"""Fixtures of the web page's tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from support.web import PageClient, save, tiny_book

from scheduler.web.app import create_app


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from scheduler.example import write_example

    return write_example(tmp_path_factory.mktemp("example") / "seus-cp.xlsx", attendees=60, seed=1)[0]


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    return save(tiny_book(), tmp_path / "tiny.xlsx")


@pytest.fixture
def runs_dir(tmp_path: Path) -> Path:
    return tmp_path / "runs"


@pytest.fixture
def app(runs_dir: Path) -> Flask:
    app = create_app(runs_dir)
    app.test_client_class = PageClient
    return app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()
