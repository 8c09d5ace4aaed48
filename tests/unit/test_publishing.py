"""The publishing setup: the workflows' pins and permissions, and the pandas requirement switch of
scripts/vendor_runtime.py. The workflows cannot run here; these checks keep their promises."""

from __future__ import annotations

import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from tests.site_build import script_module

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
PINNED = re.compile(r"^\s*(?:-\s+)?uses:\s*([\w.-]+/[\w.-]+)@([0-9a-f]{40}) # (v\d+(?:\.\d+)*)\s*$")


def workflow(name: str) -> dict[str, Any]:
    document: dict[Any, Any] = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    document["on"] = document.pop(True, document.get("on"))  # YAML 1.1 reads `on` as true
    return document


def steps(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in document["jobs"].values() for step in job.get("steps", [])]


def test_the_three_workflows_are_there() -> None:
    assert sorted(path.name for path in WORKFLOWS.glob("*.yml")) == ["pages.yml", "release.yml", "test.yml"]


def test_every_action_is_pinned_by_full_commit_sha_with_its_tag() -> None:
    pins: dict[str, set[tuple[str, str]]] = {}
    for path in sorted(WORKFLOWS.glob("*.yml")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "uses:" not in line:
                continue
            found = PINNED.match(line)
            assert found, f"{path.name}:{number}: not pinned as owner/repo@<40 hex> # vX.Y.Z: {line.strip()}"
            pins.setdefault(found.group(1), set()).add((found.group(2), found.group(3)))
    assert pins, "no actions found"
    for action, versions in pins.items():
        assert len(versions) == 1, f"{action} is pinned to different commits: {versions}"


def test_permissions_are_empty_by_default_and_given_per_job() -> None:
    for path in sorted(WORKFLOWS.glob("*.yml")):
        document = workflow(path.name)
        assert document["permissions"] == {}, path.name
        for name, job in document["jobs"].items():
            assert isinstance(job.get("permissions"), dict), f"{path.name}: job {name} states no permissions"
            assert "write-all" not in str(job["permissions"]), f"{path.name}: {name}"


def test_checkouts_keep_no_credentials() -> None:
    for path in sorted(WORKFLOWS.glob("*.yml")):
        for step in steps(workflow(path.name)):
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step.get("with", {}).get("persist-credentials") is False, path.name


def test_the_test_workflow_runs_the_readme_test_command_on_every_push_and_pull_request() -> None:
    document = workflow("test.yml")
    assert set(document["on"]) == {"push", "pull_request"}
    assert document["on"]["push"] is None  # every branch and tag
    (job,) = document["jobs"].values()
    assert job["container"].startswith("python:3.11-bookworm")  # Debian's chromium
    assert [step["run"] for step in job["steps"] if "run" in step] == ["make test"]
    assert "make test" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().endswith("exec make test")


def test_pages_builds_with_pandas_required_and_deploys_with_the_official_actions() -> None:
    document = workflow("pages.yml")
    assert document["on"]["push"] == {"branches": ["main"]}
    build, deploy = document["jobs"]["build"], document["jobs"]["deploy"]
    assert build["env"]["KAIZEN_REQUIRE_PANDAS"] == "1"
    assert build["permissions"] == {"contents": "read", "pages": "read"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    used = [step.get("uses", "").split("@")[0] for step in steps(document)]
    assert "actions/upload-pages-artifact" in used
    assert "actions/deploy-pages" in used
    assert any(step.get("run") == "make build" for step in build["steps"])
    caches = {step["with"].get("cache") for step in build["steps"] if "with" in step}
    assert {"pip", "npm"} <= caches


def test_release_attaches_the_offline_zip_at_a_version_tag() -> None:
    document = workflow("release.yml")
    assert document["on"] == {"push": {"tags": ["v*"]}}
    (job,) = document["jobs"].values()
    assert job["permissions"] == {"contents": "write"}
    assert job["env"]["KAIZEN_REQUIRE_PANDAS"] == "1"
    runs = "\n".join(step.get("run", "") for step in job["steps"])
    assert "make offline" in runs
    assert "gh release create" in runs
    assert "gh release upload" in runs
    # a job with a write token restores no cache
    for step in job["steps"]:
        assert "cache" not in step.get("with", {}), step
        assert not step.get("uses", "").startswith("actions/cache@"), step


def vendor_runtime() -> ModuleType:
    module: ModuleType = script_module("scripts/vendor_runtime.py")
    return module


@pytest.mark.parametrize(
    ("flag", "environ", "required"),
    [
        (False, {}, False),
        (False, {"KAIZEN_REQUIRE_PANDAS": ""}, False),
        (False, {"KAIZEN_REQUIRE_PANDAS": "0"}, False),
        (False, {"KAIZEN_REQUIRE_PANDAS": "1"}, True),
        (False, {"KAIZEN_REQUIRE_PANDAS": " True "}, True),
        (True, {}, True),
    ],
)
def test_pandas_is_required_by_flag_or_environment(
    flag: bool, environ: dict[str, str], required: bool
) -> None:
    assert vendor_runtime().pandas_required(flag, environ) is required
