"""Collects the golden cases in ``tests/golden/*.yaml`` as pytest items (OpenFisca style).

Each case: ``name``, ``tool``, ``request`` and either ``expect`` (a subset of the response that
must match exactly: dicts by key, lists element by element and of the same length) or
``expect_errors`` (the exact list of error fields, in order).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from kaizen_core import run
from kaizen_core.errors import InputError
from tests.site_build import build_site


class _UniqueKeyLoader(yaml.SafeLoader):
    """A golden file with a repeated key is a mistake, not a silent override."""


def _construct_mapping(
    loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False
) -> dict[Any, Any]:
    keys = set()
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue  # `<<: *base` may be overridden by the keys written beside it
        key = loader.construct_object(key_node, deep=deep)
        if key in keys:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        keys.add(key)
    return loader.construct_mapping(node, deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# Dates stay strings, as a JSON request would send them.
_UniqueKeyLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_cases(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        cases = yaml.load(handle, Loader=_UniqueKeyLoader)
    assert isinstance(cases, list), f"{path.name} must hold a list of cases"
    return cases


def mismatches(expected: Any, actual: Any, path: str = "") -> list[str]:
    """Where ``actual`` differs from the expected subset."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{path or '.'}: expected an object, got {actual!r}"]
        found = []
        for key, value in expected.items():
            if key not in actual:
                found.append(f"{path}.{key}: missing")
            else:
                found.extend(mismatches(value, actual[key], f"{path}.{key}"))
        return found
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return [f"{path}: expected {len(expected)} items, got {actual!r}"]
        found = []
        for index, (want, got) in enumerate(zip(expected, actual, strict=True)):
            found.extend(mismatches(want, got, f"{path}[{index}]"))
        return found
    if expected != actual or type(expected) is not type(actual):
        return [f"{path}: expected {expected!r}, got {actual!r}"]
    return []


class GoldenFile(pytest.File):
    def collect(self) -> Any:
        for case in load_cases(self.path):
            yield GoldenItem.from_parent(self, name=case["name"], case=case)


class GoldenItem(pytest.Item):
    def __init__(self, *, case: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case

    def runtest(self) -> None:
        case = self.case
        unknown = set(case) - {"name", "tool", "request", "expect", "expect_errors", "source", "note"}
        assert not unknown, f"unknown keys in case: {unknown}"
        assert ("expect" in case) != ("expect_errors" in case), "a case needs expect or expect_errors"
        if "expect_errors" in case:
            with pytest.raises(InputError) as caught:
                run(case["tool"], case["request"])
            fields = [error.field for error in caught.value.errors]
            assert fields == case["expect_errors"], caught.value.errors
            return
        response = run(case["tool"], case["request"])
        problems = mismatches(case["expect"], response)
        assert not problems, "\n".join(problems)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"golden: {self.name}"


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if file_path.suffix == ".yaml" and file_path.parent.name == "golden":
        return GoldenFile.from_parent(parent, path=file_path)
    return None


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole site built once for the session (static checks and browser tests share it)."""
    return build_site(tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="session")
def offline_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The offline build (Material's offline plugin: file:// pages and search)."""
    return build_site(tmp_path_factory.mktemp("offline"), "mkdocs.offline.yml")
