"""Shared fixtures: the repository root, the EAR pack compiled once, and a generated EAR frame."""

import datetime
import json
import pathlib

import pytest

import edict

ROOT = pathlib.Path(__file__).resolve().parents[2]
EAR = ROOT / "policies" / "ear"


@pytest.fixture(scope="session")
def root():
    return ROOT


@pytest.fixture(scope="session")
def ear():
    return edict.compile(str(EAR))


@pytest.fixture()
def h800():
    """The catalog's H800 (nested, as the JSON file), to China."""
    facts = json.loads((EAR / "catalog" / "h800.json").read_text())
    facts["destination"] = {"country": "CN"}
    return facts


DEC_1_2023 = datetime.date(2023, 12, 1)
