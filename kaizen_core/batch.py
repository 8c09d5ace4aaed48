"""一括判定: run eligibility, subsidy and the downturn test for a sheet of many businesses.

For council staff who keep cases in Excel. One row per business; columns are documented in
:data:`COLUMNS` and in the template (``python -m kaizen_core batch --template``). A bad row gets
its Japanese messages in the エラー column and every other row still runs. This is the only module
that uses pandas; the four tools never import it.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from kaizen_core.api import INTERNAL_MESSAGE, run
from kaizen_core.errors import InputError
from kaizen_core.numbers import shorten
from kaizen_core.spreadsheet import decode_csv, neutralise

# Bounds checked while a file is read, before any row runs. A row takes about 12 ms in CPython
# (three tools) and several times that in the browser, so 2,000 rows stay within minutes there.
MAX_FILE_BYTES = 20 * 2**20  # 20 MB
MAX_ROWS = 2 * 10**3
MAX_COLUMNS = 2 * 10**2
MAX_NAME_CHARS = 2 * 10**2  # 事業者名 as copied into the results
ALL_TOOLS = ("eligibility", "subsidy", "downturn")


@dataclass(frozen=True)
class Column:
    header: str
    tool: str  # "row", "eligibility", "subsidy", "downturn", or "shared"
    path: str  # where the value goes in the request, e.g. "fees.plan"
    help: str
    example: str = ""
    example2: str = ""


COLUMNS: tuple[Column, ...] = (
    Column("事業者名", "row", "name", "結果の表に写すだけの名前（任意）。", "喫茶みどり", "衣服工業株式会社"),
    Column(
        "都道府県",
        "eligibility",
        "prefecture",
        "相談先の協議会を選ぶため（例：京都府）。",
        "京都府",
        "大阪府",
    ),
    Column("基準日", "shared", "as_of", "規則の基準日。空欄なら今日。", "", ""),
    Column("事業", "shared", "programme", "vup／405／405-gl。空欄なら合う事業を判定。", "vup", "405"),
    Column(
        "支援の形", "shared", "route", "expert（認定支援機関）／bank（民間金融機関、Vアップのみ）。", "", ""
    ),
    Column(
        "形態", "eligibility", "entity_type", "株式会社・個人事業主・医療法人など。", "個人事業主", "株式会社"
    ),
    Column("業種", "eligibility", "industry", "製造業・卸売業・小売業・サービス業など。", "小売業", "製造業"),
    Column("資本金", "eligibility", "capital", "円。150万・1億 のような書き方も可。", "", "1000万"),
    Column("常時使用する従業員数", "eligibility", "employees", "人数（役員・臨時の人を除く）。", "3", "12"),
    Column(
        "金融支援が必要",
        "eligibility",
        "needs_financial_support",
        "はい／いいえ／空欄（わからない）。",
        "いいえ",
        "はい",
    ),
    Column("中小版GLによる私的整理", "eligibility", "gl_workout", "はい／いいえ／空欄。", "いいえ", "いいえ"),
    Column(
        "専門家が認定支援機関",
        "eligibility",
        "adviser_certified",
        "支援を頼む専門家が認定経営革新等支援機関か（はい／いいえ／空欄）。",
        "はい",
        "はい",
    ),
    Column(
        "認定支援機関が借入先", "eligibility", "adviser_is_lender", "はい／いいえ／空欄。", "いいえ", "いいえ"
    ),
    Column("借入あり", "eligibility", "has_borrowings", "はい／いいえ／空欄。", "はい", "はい"),
    Column(
        "利用歴_早期",
        "eligibility",
        "prior_use.vup",
        "早期経営改善計画策定支援の利用歴（はい／いいえ）。",
        "いいえ",
        "いいえ",
    ),
    Column(
        "利用歴_405", "eligibility", "prior_use.405", "405事業の利用歴（はい／いいえ）。", "いいえ", "いいえ"
    ),
    Column(
        "利用歴_協議会再生支援",
        "eligibility",
        "prior_use.council_revitalization",
        "協議会の再生支援の利用歴（はい／いいえ）。",
        "いいえ",
        "いいえ",
    ),
    Column(
        "策定中・実施中の計画",
        "eligibility",
        "prior_use.plan_in_progress",
        "405事業や再生計画を策定中・実施中か（はい／いいえ）。",
        "いいえ",
        "いいえ",
    ),
    Column("売上高_直近期", "subsidy", "company.sales", "405事業の規模区分に使う（円）。", "3000万", "2億"),
    Column(
        "借入金_直近期", "subsidy", "company.borrowings", "金融機関からの借入金（円）。", "1500万", "1.8億"
    ),
    Column(
        "費用_計画策定",
        "subsidy",
        "fees.plan",
        "計画策定支援費用（405はDD・計画策定支援費用）。",
        "22.5万",
        "200万",
    ),
    Column("費用_伴走期中", "subsidy", "fees.monitoring_interim", "Vアップの伴走支援（期中）。", "7.5万", ""),
    Column(
        "費用_伴走決算期",
        "subsidy",
        "fees.monitoring_final",
        "Vアップの伴走支援（決算期、必須）。",
        "7.5万",
        "",
    ),
    Column("費用_伴走支援", "subsidy", "fees.monitoring", "405事業の伴走支援（3年間の合計）。", "", "100万"),
    Column("費用_DD", "subsidy", "fees.dd", "中小版GL枠のDD費用等。", "", ""),
    Column(
        "費用_金融機関交渉", "subsidy", "fees.guarantee_release", "経営者保証解除の金融機関交渉費用。", "", ""
    ),
    Column(
        "悪化の原因",
        "downturn",
        "cause",
        "covid（新型コロナ）／energy（原材料・エネルギー）／ukraine。空欄なら判定しない。",
        "covid",
        "energy",
    ),
    Column(
        "最近の月",
        "downturn",
        "latest_month",
        "判定する最新の月（例：2022-03）。空欄なら売上の列の最新月。",
        "2022-03",
        "2022-09",
    ),
    Column(
        "売上_2022-03",
        "downturn",
        "sales",
        "「売上_YYYY-MM」の列を必要なだけ足せます（月の売上高）。",
        "240万",
        "",
    ),
    Column("売上_2021-03", "downturn", "sales", "同上。比較する年の同じ月。", "260万", ""),
    Column(
        "直近決算_売上高",
        "downturn",
        "margin.current.sales",
        "利益率の比較①：直近の決算の売上高。",
        "",
        "2億",
    ),
    Column(
        "直近決算_売上総利益",
        "downturn",
        "margin.current.gross_profit",
        "直近の決算の売上総利益。",
        "",
        "3800万",
    ),
    Column(
        "直近決算_営業利益",
        "downturn",
        "margin.current.operating_profit",
        "直近の決算の営業利益。",
        "",
        "600万",
    ),
    Column("前期決算_売上高", "downturn", "margin.comparison.sales", "前期の決算の売上高。", "", "2.1億"),
    Column(
        "前期決算_売上総利益",
        "downturn",
        "margin.comparison.gross_profit",
        "前期の決算の売上総利益。",
        "",
        "4200万",
    ),
    Column(
        "前期決算_営業利益",
        "downturn",
        "margin.comparison.operating_profit",
        "前期の決算の営業利益。",
        "",
        "800万",
    ),
)
BY_HEADER = {column.header: column for column in COLUMNS}
SALES_COLUMN = re.compile(r"^売上_(\d{4}-\d{2})$")
RESULT_HEADERS = (
    "行",
    "事業者名",
    "利用対象",
    "合う事業",
    "協議会に確認すること",
    "相談先の協議会",
    "協議会の電話",
    "補助額合計",
    "自己負担合計",
    "規模区分",
    "補助の注意",
    "業況悪化",
    "業況悪化の根拠",
    "エラー",
)
VERDICT = {True: "対象", False: "対象外", None: "要確認"}
DOWNTURN_VERDICT = {True: "満たす", False: "満たさない", None: "判定不可（要相談）"}


def _cell(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value != value:  # NaN from an empty Excel cell
        return None
    text = str(value).strip()
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    return text or None


def _put(request: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    for part in parts[:-1]:
        request = request.setdefault(part, {})
    request[parts[-1]] = value


def build_requests(row: dict[str, Any]) -> tuple[str, dict[str, dict[str, Any]]]:
    """The name and the requests (by tool) that a sheet row asks for."""
    name = _cell(row.get("事業者名")) or ""
    shared: dict[str, Any] = {}
    requests: dict[str, dict[str, Any]] = {"eligibility": {}, "subsidy": {}, "downturn": {}}
    margin: dict[str, Any] = {}
    sales: dict[str, str] = {}
    for header, raw in row.items():
        value = _cell(raw)
        if value is None:
            continue
        match = SALES_COLUMN.match(str(header))
        if match:
            sales[match.group(1)] = value
            continue
        column = BY_HEADER.get(str(header))
        if column is None or column.tool == "row":
            continue
        if column.tool == "shared":
            shared[column.path] = value
        elif column.path.startswith("margin."):
            _put(margin, column.path.removeprefix("margin."), value)
        else:
            _put(requests[column.tool], column.path, value)
    if sales:
        requests["downturn"]["sales"] = sales
    if margin:
        for side in ("current", "comparison"):
            margin.setdefault(side, {})["months"] = 12
        requests["downturn"]["margins"] = [{"method": 1, **margin}]
    wanted: dict[str, dict[str, Any]] = {}
    if requests["eligibility"] or "programme" in shared:
        wanted["eligibility"] = {**shared, **requests["eligibility"]}
        if "route" in shared and shared.get("programme") not in (None, "vup"):
            wanted["eligibility"].pop("route")
    if "fees" in requests["subsidy"]:
        wanted["subsidy"] = {**dict(shared.items()), **requests["subsidy"]}
    if requests["downturn"]:
        wanted["downturn"] = {"as_of": shared["as_of"]} if "as_of" in shared else {}
        wanted["downturn"].update(requests["downturn"])
    return name, wanted


def _header_for(field: str) -> str:
    if field.startswith("sales."):
        return "売上_" + field.removeprefix("sales.")
    if field == "sales":
        return "売上_YYYY-MM"
    for column in COLUMNS:
        if column.path != "sales" and (field == column.path or field.startswith(column.path + ".")):
            return column.header
    if field.startswith("margins[0]."):
        rest = field.removeprefix("margins[0].")
        for column in COLUMNS:
            if column.path == "margin." + rest:
                return column.header
    return field


def _tools_of(header: str) -> tuple[str, ...]:
    """The tools a column feeds (every tool for the shared ones, none for 事業者名)."""
    if SALES_COLUMN.match(header):
        return ("downturn",)
    column = BY_HEADER.get(header)
    if column is None or column.tool == "row":
        return ()
    return ALL_TOOLS if column.tool == "shared" else (column.tool,)


def process_row(
    index: int, row: dict[str, Any], problems: Sequence[str] = (), skip: Collection[str] = ()
) -> dict[str, Any]:
    """Run every tool the row asks for; errors are reported in the row, never raised.

    ``problems`` were found while the row was read; the tools in ``skip`` are not run, because a
    value they need could not be read (a formula without its result, cells beyond the header).
    """
    name, wanted = build_requests(row)
    out: dict[str, Any] = dict.fromkeys(RESULT_HEADERS, "")
    out["行"] = index
    out["事業者名"] = name if len(name) <= MAX_NAME_CHARS else name[:MAX_NAME_CHARS] + "…"
    errors: list[str] = list(problems)
    if not wanted and not errors:
        errors.append("判定に使う列が空です（形態・費用・悪化の原因などを入力してください）。")
    for tool, request in wanted.items():
        if tool in skip:
            continue
        try:
            response = run(tool, request)
            _fill(out, tool, response)
        except InputError as error:
            errors.extend(f"{_header_for(e.field)}：{e.message}" for e in error.errors)
        except Exception as error:  # noqa: BLE001 - one row's fault must not stop the sheet
            errors.append(f"{INTERNAL_MESSAGE}（{type(error).__name__}）")
    out["エラー"] = " / ".join(errors)
    return out


def _fill(out: dict[str, Any], tool: str, response: dict[str, Any]) -> None:
    if tool == "eligibility":
        out["利用対象"] = VERDICT[response["eligible"]]
        out["合う事業"] = response["recommendation"]["label"]
        out["協議会に確認すること"] = " / ".join(response["ask_council"])
        council = response["council"]
        if council:
            out["相談先の協議会"] = council["name"]
            out["協議会の電話"] = council["phone"]
    elif tool == "subsidy":
        out["補助額合計"] = response["subsidy_total"]
        out["自己負担合計"] = response["self_pay_total"]
        tier = response["size_tier"]
        out["規模区分"] = tier["label"] if tier else ""
        out["補助の注意"] = " / ".join(w["message"] for w in response["warnings"])
    else:
        out["業況悪化"] = DOWNTURN_VERDICT[response["meets"]]
        met = [t for t in response["tests"] if t["status"] == "met"]
        out["業況悪化の根拠"] = (
            met[0]["reason"]
            if met
            else " / ".join(t["reason"] for t in response["tests"] if t["status"] != "not_applicable")
        )


@dataclass
class SheetRow:
    """One data row as read: its number in the spreadsheet (the header is row 1) and its cells."""

    number: int
    values: dict[str, str | None]
    problems: list[str] = field(default_factory=list)
    skip: set[str] = field(default_factory=set)


@dataclass
class Sheet:
    headers: list[str]
    rows: list[SheetRow]


def _fail(message: str) -> InputError:
    return InputError.single("file", f"ファイル：{message}")


def _text(value: Any, header: str = "") -> str | None:
    """A cell as text: whole numbers without ``.0``, dates as the text the tools read."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        column = BY_HEADER.get(header)
        return f"{value:%Y-%m}" if column is not None and column.path == "latest_month" else value.isoformat()
    if isinstance(value, float):
        if value != value:
            return None
        if value.is_integer() and abs(value) < 10**15:
            return str(int(value))
        return repr(value)
    text = str(value).strip()
    return text or None


def _listed(names: Sequence[str], limit: int = 10) -> str:
    shown = "、".join(dict.fromkeys(shorten(name) for name in names[:limit]))
    return shown + (f"ほか{len(names) - limit}件" if len(names) > limit else "")


def _header_row(cells: Sequence[Any]) -> list[str]:
    headers = ["" if cell is None else str(cell).strip() for cell in cells]
    while headers and not headers[-1]:
        headers.pop()
    if len(headers) > MAX_COLUMNS:
        raise _fail(f"列が多すぎます（{MAX_COLUMNS}列まで）。")
    blank = [str(i + 1) for i, header in enumerate(headers) if not header]
    if blank:
        raise _fail(
            f"1行目の見出しが空の列があります（{_listed(blank)}列目）。見出しを入れるか、その列を消してください。"
        )
    seen: set[str] = set()
    repeated = []
    for header in headers:
        if header in seen:
            repeated.append(header)
        seen.add(header)
    if repeated:
        raise _fail(f"同じ見出しの列が2つ以上あります（{_listed(repeated)}）。1列にしてください。")
    return headers


def _is_data_header(cells: Sequence[Any]) -> bool:
    return any(
        isinstance(cell, str) and (cell.strip() in BY_HEADER or SALES_COLUMN.match(cell.strip()) is not None)
        for cell in cells
    )


def _sheet_row(
    number: int,
    headers: list[str],
    cells: Sequence[Any],
    missing: Sequence[tuple[str, str]] = (),
    width: int | None = None,
) -> SheetRow | None:
    """One data row, or None when it is empty; ``missing`` lists formulas without a saved result.

    Cells beyond the header hold a value, or (in a CSV) go beyond the header row's own ``width``
    even empty: the row's columns are shifted, e.g. by an unquoted ``1,500,000``.
    """
    width = len(cells) if width is None else width
    if number - 1 > MAX_ROWS and any(_text(cell) is not None for cell in cells):
        raise _fail(f"行が多すぎます（{MAX_ROWS:,}行まで）。ファイルを分けてください。")
    values = {header: _text(cells[i], header) if i < len(cells) else None for i, header in enumerate(headers)}
    extra = [i + 1 for i in range(len(headers), len(cells)) if i >= width or _text(cells[i]) is not None]
    if not extra and not missing and all(value is None for value in values.values()):
        return None
    row = SheetRow(number, values)
    if extra:
        row.problems.append(
            f"{number}行目：見出しより右の列（{extra[0]}列目）にもセルがあり、列がずれているおそれがあるため、"
            "この行は判定していません。"
            '金額に「,」を使うときは「"1,500,000"」のように引用符で囲むか、「150万」と書いてください。'
        )
        row.skip.update(ALL_TOOLS)
    for header, formula in missing:
        row.problems.append(
            f"{header}：数式（{shorten(formula)}）の計算結果がファイルに保存されていないため、値を読み取れません"
            "（この列を使う判定はしていません）。Excelで開いて保存し直すか、数式でなく値を入力してください。"
        )
        row.skip.update(_tools_of(header))
    return row


def _read_csv(data: bytes) -> Sheet:
    text = decode_csv(data)
    if text is None:
        raise _fail("文字コードを読み取れません（UTF-8かShift_JISで保存してください）。")
    if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", text):
        raise _fail(
            "CSVとして読み取れません（文字でないデータが含まれています）。CSVかxlsxのファイルを選んでください。"
        )
    if not text.strip():
        raise _fail("中身が空です。1行目に見出し、2行目から1行1事業者で入力してください。")
    rows = []
    try:
        lines = csv.reader(io.StringIO(text), strict=True)
        first = next(lines)
        headers = _header_row(first)
        for number, cells in enumerate(lines, start=2):
            row = _sheet_row(number, headers, cells, width=len(first))
            if row is not None:
                rows.append(row)
    except csv.Error:
        raise _fail(
            "CSVとして読み取れません（引用符の閉じ忘れや、大きすぎるセルがないか確かめてください）。"
        ) from None
    return Sheet(headers, rows)


def _read_xlsx(data: bytes) -> Sheet:
    from openpyxl import load_workbook  # what pandas' read_excel uses; loaded on demand

    try:
        values = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        formulas = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        found = []
        for name in values.sheetnames:
            first = next(values[name].iter_rows(max_row=1, max_col=MAX_COLUMNS + 1, values_only=True), ())
            if _is_data_header(first):
                found.append(name)
    except Exception:  # noqa: BLE001 - not a zip, not a workbook, a broken part: one message
        raise _fail(
            "Excel（.xlsx）のファイルとして読み取れません。壊れていないか、形式が違わないか確かめてください。"
        ) from None
    sheets = "、".join(f"「{shorten(name)}」" for name in values.sheetnames)
    if not found:
        raise _fail(
            f"一括判定の見出し（事業者名・形態・費用_計画策定 など）が1行目にあるシートがありません（シート：{sheets}）。"
            "テンプレートの見出しを1行目に置いてください。"
        )
    if len(found) > 1:
        listed = "、".join(f"「{shorten(name)}」" for name in found)
        raise _fail(
            f"一括判定の見出しが1行目にあるシートが{len(found)}枚あります（{listed}）。"
            "判定するシートだけのファイルにしてください。"
        )
    value_rows = values[found[0]].iter_rows(max_col=MAX_COLUMNS + 1, values_only=True)
    formula_rows = formulas[found[0]].iter_rows(max_col=MAX_COLUMNS + 1)
    headers = _header_row(next(value_rows))
    next(formula_rows, None)
    rows = []
    for number, (cells, formula_cells) in enumerate(zip(value_rows, formula_rows, strict=False), start=2):
        missing = [
            (headers[i], str(cell.value))
            for i, cell in enumerate(formula_cells)
            if i < len(headers) and i < len(cells) and cell.data_type == "f" and cells[i] is None
        ]
        row = _sheet_row(number, headers, cells, missing)
        if row is not None:
            rows.append(row)
    return Sheet(headers, rows)


def read_rows(data: bytes, filename: str) -> Sheet:
    """The data rows of a CSV (UTF-8 with or without BOM, or Shift_JIS) or xlsx sheet, as text.

    An xlsx file's data sheet is the one whose first row holds the template's headers, wherever
    it is in the workbook. A problem with the file as a whole is a Japanese InputError; a problem
    with one row stays in that row.
    """
    suffix = Path(filename).suffix.lower()
    if suffix not in (".csv", ".xlsx", ".xlsm"):
        raise _fail(f"「{shorten(filename)}」はCSV（.csv）かExcel（.xlsx）にしてください。")
    if len(data) > MAX_FILE_BYTES:
        raise _fail(f"大きすぎます（{MAX_FILE_BYTES // 2**20}MBまで）。ファイルを分けてください。")
    if not data:
        raise _fail("中身が空です。1行目に見出し、2行目から1行1事業者で入力してください。")
    sheet = _read_csv(data) if suffix == ".csv" else _read_xlsx(data)
    unknown = [h for h in sheet.headers if h not in BY_HEADER and not SALES_COLUMN.match(h)]
    if unknown:
        raise _fail(f"使えない列名があります（{_listed(unknown)}）。テンプレートの列名を使ってください。")
    if not sheet.rows:
        raise _fail("見出しの下に判定する行がありません。2行目から1行1事業者で入力してください。")
    return sheet


def read_sheet(data: bytes, filename: str) -> pd.DataFrame:
    """The data rows as a table of text (empty cells as empty text)."""
    sheet = read_rows(data, filename)
    records = [[row.values[h] or "" for h in sheet.headers] for row in sheet.rows]
    return pd.DataFrame(records, columns=sheet.headers, dtype=str)


def process_rows(sheet: Sheet) -> pd.DataFrame:
    rows = [process_row(row.number, row.values, row.problems, row.skip) for row in sheet.rows]
    return pd.DataFrame(rows, columns=list(RESULT_HEADERS))


def process(frame: pd.DataFrame) -> pd.DataFrame:
    """The results of a table already read (row numbers count the header as row 1)."""
    unknown = [str(h) for h in frame.columns if str(h) not in BY_HEADER and not SALES_COLUMN.match(str(h))]
    if unknown:
        raise _fail(f"使えない列名があります（{_listed(unknown)}）。テンプレートの列名を使ってください。")
    rows = [process_row(index + 2, record) for index, record in enumerate(frame.to_dict("records"))]
    return pd.DataFrame(rows, columns=list(RESULT_HEADERS))


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV in UTF-8 with a BOM, so Excel in Japan opens it without garbling."""
    text: str = frame.map(neutralise).to_csv(index=False, lineterminator="\r\n")
    return text.encode("utf-8-sig")


def to_xlsx_bytes(frame: pd.DataFrame, sheet: str = "結果", notes: pd.DataFrame | None = None) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.map(neutralise).to_excel(writer, sheet_name=sheet, index=False)
        if notes is not None:
            notes.map(neutralise).to_excel(writer, sheet_name="列の説明", index=False)
    return buffer.getvalue()


def template() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two example rows (a Vアップ case and a 405 case) and the column guide."""
    examples = pd.DataFrame(
        [[c.example for c in COLUMNS], [c.example2 for c in COLUMNS]], columns=[c.header for c in COLUMNS]
    )
    guide = pd.DataFrame(
        [(c.header, c.help) for c in COLUMNS]
        + [("売上_YYYY-MM", "月ごとの売上高の列。必要な月の分だけ追加できます。")],
        columns=["列名", "説明"],
    )
    return examples, guide


def run_file(data: bytes, filename: str) -> tuple[pd.DataFrame, bytes, bytes]:
    """The results table and its CSV and xlsx files: what the CLI and the browser page both use."""
    results = process_rows(read_rows(data, filename))
    return results, to_csv_bytes(results), to_xlsx_bytes(results)


def main(args: list[str]) -> int:
    from kaizen_core.api import EXIT_INPUT, dumps

    def fail(field: str, message: str) -> int:
        sys.stdout.write(dumps({"errors": [{"field": field, "message": message}]}) + "\n")
        return EXIT_INPUT

    if args and args[0] == "--template":
        target = Path(args[1] if len(args) > 1 else "一括判定テンプレート.xlsx")
        examples, guide = template()
        try:
            if target.suffix.lower() == ".csv":
                target.write_bytes(to_csv_bytes(examples))
            else:
                target.write_bytes(to_xlsx_bytes(examples, sheet="入力", notes=guide))
        except OSError:
            return fail("file", f"ファイル：「{target}」に書き出せません。")
        sys.stdout.write(f"{target} を書き出しました。\n")
        return 0
    if not args:
        return fail("file", "一括判定するファイル（.csv か .xlsx）を指定してください。")
    source = Path(args[0])
    out_base = source.with_name(source.stem + "_結果")
    if len(args) >= 3 and args[1] == "--out":
        out_base = Path(args[2])
    try:
        with source.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)  # one byte more is enough for read_rows to refuse it
    except OSError:
        return fail("file", f"ファイル：「{source}」を読めません。")
    try:
        results, csv_bytes, xlsx_bytes = run_file(data, source.name)
    except InputError as error:
        sys.stdout.write(dumps(error.as_dict()) + "\n")
        return EXIT_INPUT
    try:
        out_base.with_suffix(".csv").write_bytes(csv_bytes)
        out_base.with_suffix(".xlsx").write_bytes(xlsx_bytes)
    except OSError:
        return fail("file", f"ファイル：「{out_base}」に結果を書き出せません。")
    failed = int((results["エラー"] != "").sum())
    sys.stdout.write(
        f"{len(results)}行を判定しました（エラーのある行：{failed}）。"
        f"{out_base.with_suffix('.csv')} と {out_base.with_suffix('.xlsx')} に書き出しました。\n"
    )
    return 0
