"""The tool registry (kaizen_core/data/tools/*.toml): what it lists, how it refuses a broken file,
and that a new tool is only its own files: a tiny tool in a temporary folder reaches the CLI,
run(), the form, the worker, the downloads and the page."""

from __future__ import annotations

import io
import json
import re
import sys
import textwrap
from collections.abc import Iterator
from contextlib import redirect_stdout
from pathlib import Path

import pytest

import kaizen_core
from calculators import export, forms, views, worker
from hooks import runtime
from hooks import tools as page_tools
from kaizen_core import registry
from kaizen_core.__main__ import main as cli_main
from kaizen_core.api import run

ROOT = Path(__file__).resolve().parents[2]


def test_the_registry_lists_every_tool_in_order() -> None:
    # the six tools of today come in this order; a new tool (its own file) may be added anywhere
    known = ("subsidy", "eligibility", "downturn", "forecast", "benchmark", "plan")
    assert tuple(name for name in registry.names() if name in known) == known
    assert tuple(name for name in registry.page_names() if name in known) == known  # each has a page
    orders = [tool.order for tool in registry.tools()]
    assert orders == sorted(orders)
    assert registry.names() == kaizen_core.ENGINES
    assert registry.page_names() == kaizen_core.TOOLS
    subsidy = registry.tool("subsidy")
    assert subsidy.title == "補助金額シミュレーター"
    assert subsidy.entry == "kaizen_core.subsidy:calculate"
    assert subsidy.view == "calculators.subsidy"
    assert subsidy.page == "tools/subsidy.md"
    assert registry.tool("plan").has_page is True
    with pytest.raises(KeyError):
        registry.tool("magic")
    with pytest.raises(KeyError):
        registry.tool(["subsidy"])


@pytest.mark.parametrize("tool", registry.names())
def test_each_tool_file_points_at_real_files(tool: str) -> None:
    entry = registry.tool(tool)
    assert entry.source == ROOT / "kaizen_core" / "data" / "tools" / f"{tool}.toml"
    assert entry.request_schema == ROOT / "kaizen_core" / "schemas" / f"{tool}.request.json"
    assert entry.response_schema.is_file()
    assert entry.request_schema.is_file()
    assert callable(entry.function())


@pytest.mark.parametrize("tool", registry.page_names())
def test_each_page_tool_has_its_view_example_and_page(tool: str) -> None:
    entry = registry.tool(tool)
    assert entry.page is not None
    assert entry.view is not None
    assert views.example_path(tool) == ROOT / "calculators" / "examples" / f"{tool}.json"
    assert forms.form_for(tool).tool == tool
    page = (ROOT / "docs" / entry.page).read_text(encoding="utf-8")
    assert f"\nkz_tool: {tool}\n" in page.split("\n---", 1)[0]
    assert f'{{{{ tool("{tool}") }}}}' in page
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert re.search(rf"- [^\n]+: {re.escape(entry.page)}\n", nav)
    # mypy checks the view against calculators.views.ToolView only through this block in its file
    source = (ROOT / Path(*entry.view.split("."))).with_suffix(".py").read_text(encoding="utf-8")
    assert f"import {entry.view} as _self\n" in source
    assert "_view: ToolView = _self" in source


@pytest.mark.parametrize("tool", registry.names())
def test_each_tools_code_is_in_the_browsers_package(tool: str) -> None:
    """The runtime zip holds kaizen_core and calculators as they are: a tool's engine and view
    modules are in it without being listed anywhere."""
    entry = registry.tool(tool)
    packaged = runtime.package_files()
    modules = [entry.function().__module__, *([entry.view] if entry.view else [])]
    for module in modules:
        assert module.replace(".", "/") + ".py" in packaged, module


@pytest.fixture
def tool_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An extra registry folder, forgotten again after the test."""
    folder = tmp_path / "tools"
    folder.mkdir()
    monkeypatch.setattr(registry, "DIRECTORIES", [*registry.DIRECTORIES, folder])
    registry.reload()
    yield folder
    monkeypatch.undo()
    registry.reload()


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


TINY_TOML = """
    name = "tiny"
    title = "小さな試しのツール"
    order = 99
    entry = "kz_tiny_engine:answer"
    request_schema = "tiny.request.json"
    response_schema = "tiny.response.json"
    view = "kz_tiny_view"
    example = "examples/tiny.json"
    page = "tools/tiny.md"
"""

TINY_ENGINE = """
    from kaizen_core.numbers import parse_yen


    def answer(request):
        amount = parse_yen(request.get("amount"), "amount", "金額")
        return {"tool": "tiny", "amount": amount, "double": 2 * amount, "as_of": request.get("as_of")}
"""

TINY_VIEW = """
    from calculators.forms import Field, Section, ToolForm
    from calculators.html import esc, yen

    FORM = ToolForm(
        tool="tiny",
        title="小さな試しのツール",
        sections=(Section("金額", (Field("amount", "金額", "yen", required=True),)),),
    )


    def render(response, request):
        return f'<p class="kz-tiny">{esc("2倍")}：{yen(response["double"])}</p>'


    def summary(response):
        return f"2倍は{response['double']:,}円。"


    def export_tables(response):
        return [("結果", ["項目", "金額"], [["2倍", response["double"]]])]
"""


@pytest.fixture
def tiny(tool_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A whole new tool from its own files only: registry entry, schemas, engine, view, example."""
    code = tmp_path / "code"
    write(tool_dir / "tiny.toml", TINY_TOML)
    write(tool_dir / "tiny.request.json", '{"type": "object"}')
    write(tool_dir / "tiny.response.json", '{"type": "object"}')
    write(code / "kz_tiny_engine.py", TINY_ENGINE)
    write(code / "kz_tiny_view.py", TINY_VIEW)
    write(code / "examples" / "tiny.json", '{"amount": "150万"}')
    monkeypatch.syspath_prepend(str(code))
    registry.reload()
    yield code
    for name in ("kz_tiny_engine", "kz_tiny_view"):
        sys.modules.pop(name, None)


def test_a_new_tool_is_only_its_own_files(tiny: Path) -> None:
    assert registry.names()[-1] == "tiny"
    assert "tiny" in kaizen_core.ENGINES
    assert "tiny" in kaizen_core.TOOLS
    # run() and the CLI
    assert run("tiny", {"amount": "150万"})["double"] == 3_000_000
    request = write(tiny / "request.json", '{"amount": "1万"}')
    out = io.StringIO()
    with redirect_stdout(out):
        assert cli_main(["tiny", str(request)]) == 0
    assert json.loads(out.getvalue())["double"] == 20_000
    out = io.StringIO()
    with redirect_stdout(out):
        assert cli_main(["--help"]) == 0
    assert "tiny：小さな試しのツール" in out.getvalue()
    # its form and default example
    form = forms.form_for("tiny")
    assert form.title == "小さな試しのツール"
    assert form.default_request() == {"amount": "150万"}
    assert forms.parsed_values("tiny", {"amount": "150万"}) == {"amount": "1,500,000円"}
    # the worker
    reply = json.loads(worker.compute("tiny", '{"amount": "2万"}'))
    assert reply["status"] == 0
    assert reply["summary"] == "2倍は40,000円。"
    assert "40,000円" in reply["html"]
    assert reply["parsed"] == {"amount": "20,000円"}
    bad = json.loads(worker.compute("tiny", '{"amount": "たくさん"}'))
    assert bad["status"] == 2
    assert json.loads(bad["text"])["errors"][0]["field"] == "amount"
    # the downloads, and reading one back
    data = export.csv_bytes("tiny", {"amount": "2万"}, run("tiny", {"amount": "2万"}))
    text = data.decode("utf-8-sig")
    assert "小さな試しのツール" in text
    assert "2倍,40000" in text
    assert export.request_from_file("tiny", "tiny.csv", data) == {"amount": "2万"}
    # the runtime the build makes: its view is imported and its example answered when the
    # bytecode and the memory snapshot are made (so the browser has what it needs already)
    inputs = runtime.compile_inputs({})
    assert "kz_tiny_view" in inputs["imports"]
    assert ["calculators.worker", "compute", ["tiny", json.dumps({"amount": "150万"})]] in inputs["calls"]
    # the page: form and the example's result, computed at build time
    html = page_tools.render_tool("tiny", "2026-11-21")
    assert 'data-kz-tool="tiny"' in html
    assert 'id="kz-f-amount"' in html
    assert '<p class="kz-tiny">2倍：<span class="kz-num">3,000,000円</span></p>' in html


def test_the_tiny_tool_is_gone_after_its_test() -> None:
    assert "tiny" not in registry.names()
    assert run_error("tiny") == "tool"


def run_error(tool: str) -> str:
    from kaizen_core.errors import InputError

    with pytest.raises(InputError) as caught:
        run(tool, {})
    return caught.value.errors[0].field


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('name = "broken"\ntitle = "壊れた"\norder = 1\n', "lacks"),
        (TINY_TOML.replace('name = "tiny"', 'name = "other"'), "name must be"),
        (TINY_TOML.replace("order = 99", 'order = "99"'), "order must be"),
        (TINY_TOML.replace('"kz_tiny_engine:answer"', '"kz_tiny_engine.answer"'), "module:function"),
        (TINY_TOML.replace('page = "tools/tiny.md"\n', ""), "needs all of"),
        (TINY_TOML + 'colour = "red"\n', "unknown keys"),
        (TINY_TOML + "name = 1\n", "tiny.toml"),
    ],
)
def test_a_broken_tool_file_is_refused_by_name(tool_dir: Path, text: str, problem: str) -> None:
    write(tool_dir / "tiny.toml", textwrap.dedent(text))
    registry.reload()
    with pytest.raises(registry.RegistryError, match=problem):
        registry.names()


def test_a_tool_defined_twice_is_refused(tool_dir: Path) -> None:
    write(tool_dir / "subsidy.toml", TINY_TOML.replace('"tiny"', '"subsidy"'))
    registry.reload()
    with pytest.raises(registry.RegistryError, match="defined twice"):
        registry.names()
