"""Command line: ``python -m kaizen_core TOOL [FILE|-]``, TOOL being any tool of :mod:`kaizen_core.registry`.

Reads a JSON request from FILE or standard input and prints the JSON response. Invalid input exits
with status 2 and ``{"errors": [...]}``; nothing ever prints a traceback.
``python -m kaizen_core batch FILE.xlsx|FILE.csv`` runs a sheet of many businesses (needs pandas).
"""

from __future__ import annotations

import sys
from pathlib import Path

from kaizen_core import registry
from kaizen_core.api import EXIT_INPUT, MAX_REQUEST_CHARS, dumps, run_json

USAGE = """使い方:
  python -m kaizen_core {tools} [FILE|-]
      JSONのリクエストをFILE（省略または - なら標準入力）から読み、結果のJSONを出力します。
{titles}
  python -m kaizen_core batch FILE.xlsx|FILE.csv [--out 出力先の名前]
      1行1事業者のシートを一括判定し、結果をCSV（UTF-8 BOM付き）とxlsxで書き出します。
  python -m kaizen_core batch --template [FILE.xlsx|FILE.csv]
      一括判定の記入用テンプレートを書き出します。
"""


def usage() -> str:
    """The help text, with the tools of the registry and their Japanese names."""
    titles = "\n".join(f"      {entry.name}：{entry.title}" for entry in registry.tools())
    return USAGE.format(tools="{" + "|".join(registry.names()) + "}", titles=titles)


def _fail(message: str) -> int:
    sys.stdout.write(dumps({"errors": [{"field": "command", "message": message}]}) + "\n")
    return EXIT_INPUT


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8", errors="backslashreplace")
    if not args or args[0] in ("-h", "--help", "help"):
        sys.stdout.write(usage())
        return 0 if args else EXIT_INPUT
    command, rest = args[0], args[1:]
    if command == "batch":
        from kaizen_core.batch import main as batch_main

        return batch_main(rest)
    if command not in registry.names():
        return _fail(f"コマンド：「{command}」はありません。\n{usage()}")
    if len(rest) > 1:
        return _fail("入力ファイルは1つだけ指定してください。")
    source = rest[0] if rest else "-"
    # A character takes at most 4 bytes in UTF-8, so reading one byte more than this is enough for
    # run_json to refuse anything over MAX_REQUEST_CHARS, without holding a huge file in memory.
    limit = 4 * MAX_REQUEST_CHARS + 1
    if source == "-":
        data = sys.stdin.buffer.read(limit)
    else:
        try:
            with Path(source).open("rb") as handle:
                data = handle.read(limit)
        except OSError:
            return _fail(f"入力ファイル：「{source}」を読めません。")
    text = data.decode("utf-8-sig", errors="replace")
    code, output = run_json(command, text)
    sys.stdout.write(output + "\n")
    return code


if __name__ == "__main__":
    sys.exit(main())
