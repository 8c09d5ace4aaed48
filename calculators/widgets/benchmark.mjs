// 財務の健康診断 — the input table of 決算の数字: a row per figure, a column per fiscal year.
//
// Pasting cells copied from Excel (tab- and newline-separated; widgets/paste.mjs) fills the table from the input pasted
// into, rightwards (the next fiscal years) and downwards (the next figures); a cell of the table with
// no input (前期の売上高 is asked for the first year only) is skipped and counted. The table and its
// names come from Python (calculators/benchmark.py, templates/widgets/benchmark_grid.html). No rules here.

import { pasteBlock, say } from "./paste.mjs";

const STATUS = "[data-kz-grid-status]";

/** @param {HTMLElement} grid @param {() => void} recompute @param {ClipboardEvent} event */
function onPaste(grid, recompute, event) {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || !input.closest("td")) return;
  const pasted = pasteBlock(event, input, {
    rows: [...grid.querySelectorAll("tbody tr")],
    column: /** @type {HTMLTableCellElement} */ (input.closest("td")).cellIndex,
    status: grid.querySelector(STATUS),
    put(row, index, value) {
      const box = /** @type {HTMLTableRowElement | undefined} */ (row)?.cells[index]?.querySelector("input");
      if (box) box.value = value;
      return Boolean(box);
    },
    skipped: (left) => `入力欄のないところに当たった${left}個の値は入れていません（貼り付けを始める欄を確かめてください）。`,
  });
  if (pasted) recompute();
}

/** @param {{ root: HTMLElement, form: HTMLFormElement, recompute: () => void }} ctx */
export function setup(ctx) {
  const grid = /** @type {HTMLElement | null} */ (ctx.root.querySelector("[data-kz-bm-grid]"));
  if (!grid) return;
  grid.addEventListener("paste", (event) => onPaste(grid, ctx.recompute, /** @type {ClipboardEvent} */ (event)));
}

/** Before a request (share link, autosave, file) fills the form: the last paste's message goes. @param {{ root: HTMLElement }} ctx */
export function prepare(ctx) {
  const grid = /** @type {HTMLElement | null} */ (ctx.root.querySelector("[data-kz-bm-grid]"));
  if (grid) say(grid.querySelector(STATUS), "");
}
