"""The offline copy for office PCs, as one zip: what `make offline` runs and the test suite checks.

    python scripts/offline_bundle.py [--output build/kaizen-navi-offline.zip] [--staging build/offline]

1. Builds the site with mkdocs.offline.yml (Material's offline plugin: pages and search work from
   file://) into ``<staging>/site``.
2. Puts the launcher beside it (launcher/: serve.py, 起動.bat, 起動.command and the readme), which
   serves that folder on 127.0.0.1 so that the calculators run: browsers refuse module scripts,
   import() and fetch() from file:// pages.
3. Zips ``<staging>`` under one top folder, ``kaizen-navi-offline/``, with entries in a fixed order
   and each file's permissions (起動.command stays executable on macOS).

Every path is absolute, so it runs from any working directory (the old Makefile recipe ran
``cd build && .venv/bin/python …`` and failed on a clean clone). The build's 基準日 is today in
Japan, or ``KAIZEN_AS_OF`` as for every build (hooks/kaizen_site.py).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "mkdocs.offline.yml"
LAUNCHER = ROOT / "launcher"
LAUNCHER_FILES = ("serve.py", "起動.bat", "起動.command", "はじめにお読みください.txt")
TOP = "kaizen-navi-offline"
DEFAULT_OUTPUT = ROOT / "build" / f"{TOP}.zip"
DEFAULT_STAGING = ROOT / "build" / "offline"


def build_site(target: Path, env: Mapping[str, str] | None = None) -> Path:
    """``mkdocs build --strict -f mkdocs.offline.yml`` into ``target`` (emptied first)."""
    if target.exists():
        shutil.rmtree(target)
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"]
    command += ["-f", str(CONFIG), "--site-dir", str(target)]
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    result = subprocess.run(command, cwd=ROOT, env=environment, check=False)
    if result.returncode != 0:
        raise SystemExit(f"the offline build failed (mkdocs exit {result.returncode})")
    if not (target / "index.html").exists():
        raise SystemExit(f"the offline build left no {target / 'index.html'}")
    return target


def add_launcher(staging: Path) -> None:
    for name in LAUNCHER_FILES:
        shutil.copy2(LAUNCHER / name, staging / name)


def write_zip(staging: Path, output: Path) -> Path:
    """``staging`` as ``output``, every entry under ``kaizen-navi-offline/``, in sorted order."""
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".part")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in sorted(staging.rglob("*")):
            if path.is_dir():
                continue
            name = f"{TOP}/{path.relative_to(staging).as_posix()}"
            info = zipfile.ZipInfo.from_file(path, name)  # keeps the file's mode (起動.command: 755)
            info.compress_type = zipfile.ZIP_DEFLATED
            with path.open("rb") as source, archive.open(info, "w") as target:
                shutil.copyfileobj(source, target)
    partial.replace(output)
    return output


def _check_staging(staging: Path) -> None:
    """The staging folder is emptied: refuse one that holds the project or anything but a bundle."""
    if staging == ROOT or ROOT.is_relative_to(staging):
        raise SystemExit(f"{staging}: the staging folder may not hold the project itself")
    earlier_bundle = (staging / "site").is_dir() or (staging / "serve.py").exists()
    if staging.exists() and any(staging.iterdir()) and not earlier_bundle:
        raise SystemExit(f"{staging}: not empty and not an earlier offline bundle; not emptying it")


def make_bundle(output: Path, staging: Path, env: Mapping[str, str] | None = None) -> Path:
    """The whole bundle: build the offline site, add the launcher, zip. Returns ``output``."""
    _check_staging(staging)
    if staging.exists():
        shutil.rmtree(staging)
    build_site(staging / "site", env)
    add_launcher(staging)
    return write_zip(staging, output)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="the zip to write")
    parser.add_argument(
        "--staging", type=Path, default=DEFAULT_STAGING, help="the folder zipped (emptied first)"
    )
    args = parser.parse_args(argv)
    output = make_bundle(args.output.resolve(), args.staging.resolve())
    print(output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
