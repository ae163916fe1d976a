"""domain.triage loads its modules on first use: every exported name still resolves."""

from __future__ import annotations

import importlib

import pytest

import domain.triage


@pytest.mark.parametrize("name", domain.triage.__all__)
def test_every_exported_name_resolves(name: str) -> None:
    assert getattr(domain.triage, name) is not None


def test_unknown_names_are_an_attribute_error() -> None:
    with pytest.raises(AttributeError):
        importlib.import_module("domain.triage").no_such_name  # noqa: B018
