"""Build-time rendering of the tool pages: the form from calculators' specs and the default
example's result, computed by kaizen_core in CPython with the very code the browser will run."""

from __future__ import annotations

import json
from pathlib import Path

import jinja2

from calculators.forms import TRI_OPTIONS, flatten, form_for, show_if_data, shows
from calculators.html import response_digest, whole
from calculators.views import view as tool_view
from kaizen_core.api import answer, compact

TEMPLATES = Path(__file__).resolve().parents[1] / "calculators" / "templates"
_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(TEMPLATES)),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=False,
)
_env.globals["shows"] = shows
_env.globals["show_if_data"] = show_if_data


def script_json(text: str) -> str:
    """JSON that is safe inside <script type="application/json">."""
    return text.replace("</", "<\\/")


def render_tool(tool: str, as_of: str | None = None) -> str:
    """The form and the example's result as of the site's 基準日 ``as_of`` (default: today)."""
    form = form_for(tool)
    request = form.default_request()
    dated = {**request, "as_of": as_of} if as_of and "as_of" not in request else request
    code, response, _ = answer(tool, json.dumps(dated, ensure_ascii=False))
    response_text = compact(response)  # as the worker writes it, so that the digests agree
    if code != 0:
        raise ValueError(f"the default example of {tool} is invalid: {response_text}")
    view = tool_view(tool)
    result_html = view.render(response, request)
    html = _env.get_template("tool.html").render(
        form=form,
        values=flatten(request),
        tri_options=TRI_OPTIONS,
        result_html=whole(result_html),
        response_text=script_json(response_text),
        digest=response_digest(response_text, result_html),
        request_text=script_json(json.dumps(request, ensure_ascii=False)),
    )
    # Blank lines would end Markdown's raw-HTML block; the page's Markdown must not touch this HTML.
    return "\n".join(line for line in html.splitlines() if line.strip())


def render_batch(available: bool, directory_urls: bool) -> str:
    """The 一括判定 page body; says plainly when this build lacks pandas for the browser."""
    from calculators.html import esc, table
    from kaizen_core.batch import COLUMNS

    rows = [
        [esc(column.header), esc(column.help), esc(column.example or column.example2)] for column in COLUMNS
    ]
    rows.append([esc("売上_YYYY-MM"), esc("月ごとの売上高の列。必要な月の分だけ足せます。"), esc("240万")])
    columns = table("一括判定の表の列", ["列名", "説明", "例"], rows)

    def link(tool: str) -> str:
        return f"../{tool}/" if directory_urls else f"{tool}.html"

    html = _env.get_template("batch.html").render(available=available, columns_table=columns, link=link)
    return "\n".join(line for line in html.splitlines() if line.strip())


def batch_templates() -> dict[str, bytes]:
    """The fill-in templates offered for download (built here in CPython with pandas)."""
    from kaizen_core.batch import template, to_csv_bytes, to_xlsx_bytes

    examples, guide = template()
    return {
        "downloads/batch-template.xlsx": to_xlsx_bytes(examples, sheet="入力", notes=guide),
        "downloads/batch-template.csv": to_csv_bytes(examples),
    }
