"""``python -m kaizen_core``: JSON in, JSON out, exit codes, and never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kaizen_core import registry

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kaizen_core", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        check=False,
    )


def test_request_from_a_file(tmp_path: Path) -> None:
    request = tmp_path / "req.json"
    request.write_text(
        json.dumps(
            {
                "programme": "vup",
                "as_of": "2026-11-21",
                "fees": {"plan": "22.5万", "monitoring_final": "7.5万"},
            }
        ),
        encoding="utf-8",
    )
    result = cli("subsidy", str(request))
    assert result.returncode == 0, result.stdout
    response = json.loads(result.stdout)
    assert response["subsidy_total"] == 200000
    assert response["as_of"] == "2026-11-21"
    assert response["references"]
    assert response["explanation"]


def test_request_from_standard_input_with_bom() -> None:
    result = cli(
        "downturn",
        "-",
        stdin="\ufeff" + json.dumps({"cause": "covid", "sales": {"2022-03": 95, "2021-03": 100}}),
    )
    assert result.returncode == 0
    assert json.loads(result.stdout)["meets"] is True


@pytest.mark.parametrize("tool", registry.names())
def test_invalid_input_exits_2_with_japanese_errors(tool: str) -> None:
    result = cli(tool, stdin='{"as_of": "昨日"}')
    assert result.returncode == 2
    errors = json.loads(result.stdout)["errors"]
    assert any(error["field"] == "as_of" for error in errors)
    assert "Traceback" not in result.stdout + result.stderr


def test_broken_json() -> None:
    result = cli("subsidy", stdin="{programme: vup")
    assert result.returncode == 2
    assert json.loads(result.stdout)["errors"][0]["field"] == "request"
    assert result.stderr == ""


def test_unknown_command_and_missing_file() -> None:
    unknown = cli("magic")
    assert unknown.returncode == 2
    assert json.loads(unknown.stdout)["errors"][0]["field"] == "command"
    missing = cli("subsidy", "/nonexistent/req.json")
    assert missing.returncode == 2
    assert "読めません" in missing.stdout


def test_help() -> None:
    result = cli("--help")
    assert result.returncode == 0
    assert "python -m kaizen_core" in result.stdout


def test_the_installed_command_works_from_any_folder(tmp_path: Path) -> None:
    """`make setup` installs the project into its .venv: `kaizen-core` runs outside the repository."""
    command = Path(sys.executable).parent / "kaizen-core"
    assert command.exists(), "make setup installs the project (pip install -e .)"
    result = subprocess.run(
        [str(command), "subsidy"],
        input='{"programme": "vup", "fees": {"plan": "22.5万"}}',
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["subsidy_total"] == 150000
