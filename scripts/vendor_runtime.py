"""Fetch the files the browser runtime needs beyond npm: PyPI wheels and (optionally) pandas.

- PyPI wheels listed in calculators/wheels.toml: downloaded with pip, sha256 checked. Required.
- pandas and its dependencies for Pyodide: downloaded from the Pyodide distribution matching the
  pinned npm package's pyodide-lock.json and checked against the lock's sha256. Optional: without
  internet access this step reports what is missing and the build goes on without the batch page.
  Required where the build must publish a working 一括判定 page (the pages and release workflows):
  with ``KAIZEN_REQUIRE_PANDAS=1`` in the environment, or ``--require-pandas``, a failure to fetch
  or check them ends this script with exit status 1.

Output: build/wheels/ and build/pyodide-packages/ (+ build/pyodide-packages/available.json).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tomllib
import urllib.request
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WHEELS = ROOT / "build" / "wheels"
PACKAGES = ROOT / "build" / "pyodide-packages"
LOCK = ROOT / "node_modules" / "pyodide" / "pyodide-lock.json"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def vendor_wheels(spec: dict) -> None:
    WHEELS.mkdir(parents=True, exist_ok=True)
    for wheel in spec["wheel"]:
        target = WHEELS / wheel["file"]
        if not target.exists() or sha256(target) != wheel["sha256"]:
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pip",
                    "download",
                    "-q",
                    "--no-deps",
                    "--only-binary=:all:",
                    "--disable-pip-version-check",
                    "-d",
                    str(WHEELS),
                    wheel["requirement"],
                ],
                check=True,
            )
        digest = sha256(target)
        if digest != wheel["sha256"]:
            target.unlink()
            raise SystemExit(f"{wheel['file']}: sha256 {digest} does not match the pinned {wheel['sha256']}")


def closure(lock: dict, names: list[str]) -> list[str]:
    """The packages and all their dependencies, from pyodide-lock.json."""
    found: list[str] = []
    pending = list(names)
    while pending:
        name = pending.pop()
        if name in found:
            continue
        found.append(name)
        pending.extend(lock["packages"][name].get("depends", []))
    return sorted(found)


def vendor_pyodide_packages(spec: dict) -> None:
    lock = json.loads(LOCK.read_text(encoding="utf-8"))
    version = json.loads((LOCK.parent / "package.json").read_text(encoding="utf-8"))["version"]
    base = spec["pyodide"]["base_url"].format(version=version)
    PACKAGES.mkdir(parents=True, exist_ok=True)
    status = {"available": False, "packages": [], "reason": ""}
    names = closure(lock, spec["pyodide"]["packages"])
    try:
        for name in names:
            entry = lock["packages"][name]
            target = PACKAGES / entry["file_name"]
            if not target.exists() or sha256(target) != entry["sha256"]:
                with urllib.request.urlopen(base + entry["file_name"], timeout=30) as response:
                    target.write_bytes(response.read())
            if sha256(target) != entry["sha256"]:
                target.unlink()
                raise OSError(f"{entry['file_name']}: sha256 does not match pyodide-lock.json")
            status["packages"].append(entry["file_name"])
        status["available"] = True
    except OSError as error:
        status["reason"] = f"{type(error).__name__}: {error}"
        print(
            f"pandas for Pyodide is not available in this build ({status['reason']}); "
            "the 一括判定 page will say so.",
            file=sys.stderr,
        )
    (PACKAGES / "available.json").write_text(
        json.dumps(status, ensure_ascii=False, indent=2), encoding="utf-8"
    )


def pandas_required(flag: bool, environ: Mapping[str, str] = os.environ) -> bool:
    """``--require-pandas`` or KAIZEN_REQUIRE_PANDAS set to 1/true/yes (case-insensitive)."""
    return flag or environ.get("KAIZEN_REQUIRE_PANDAS", "").strip().lower() in ("1", "true", "yes")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Fetch the browser runtime's wheels (see the module docstring)."
    )
    parser.add_argument(
        "--require-pandas",
        action="store_true",
        help="fail when pandas for Pyodide cannot be fetched and checked (also KAIZEN_REQUIRE_PANDAS=1)",
    )
    args = parser.parse_args(argv)
    spec = tomllib.loads((ROOT / "calculators" / "wheels.toml").read_text(encoding="utf-8"))
    vendor_wheels(spec)
    status_file = PACKAGES / "available.json"
    done = status_file.exists() and json.loads(status_file.read_text(encoding="utf-8"))["available"]
    if not done:
        vendor_pyodide_packages(spec)
    if pandas_required(args.require_pandas):
        status = json.loads(status_file.read_text(encoding="utf-8"))
        if not status["available"]:
            print(
                "KAIZEN_REQUIRE_PANDAS: this build must publish a working 一括判定 page, but pandas for "
                f"Pyodide could not be fetched and checked ({status['reason']}).",
                file=sys.stderr,
            )
            return 1
        print(f"pandas for Pyodide: {len(status['packages'])} files checked against pyodide-lock.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
