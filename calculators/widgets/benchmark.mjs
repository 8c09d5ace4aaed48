// 財務の健康診断 — the input table of 決算の数字: a row per figure, a column per fiscal year.
//
// Pasting cells copied from Excel (tab- and newline-separated) fills the table from the input pasted
// into, rightwards (the next fiscal years) and downwards (the next figures); a cell of the table with
// no input (前期の売上高 is asked for the first year only) is skipped and counted. The table and its
// names come from Python (calculators/benchmark.py, templates/widgets/benchmark_grid.html). No rules here.

/** @param {HTMLElement} grid @param {string} text */
function say(grid, text) {
  const box = grid.querySelector("[data-kz-grid-status]");
  if (box) box.textContent = text;
}

/** @param {HTMLElement} grid @param {() => void} recompute @param {ClipboardEvent} event */
function onPaste(grid, recompute, event) {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || !input.closest("td")) return;
  const text = (event.clipboardData?.getData("text/plain") ?? "").replace(/\r\n?/g, "\n").replace(/\n+$/, "");
  if (!/[\t\n]/.test(text)) return; // one value: the browser pastes it as usual
  event.preventDefault();
  const rows = [...grid.querySelectorAll("tbody tr")];
  const row = /** @type {HTMLTableRowElement} */ (input.closest("tr"));
  const first = rows.indexOf(row);
  const column = /** @type {HTMLTableCellElement} */ (input.closest("td")).cellIndex;
  let placed = 0;
  let left = 0;
  text.split("\n").forEach((line, down) => {
    const target = /** @type {HTMLTableRowElement | undefined} */ (rows[first + down]);
    line.split("\t").forEach((value, right) => {
      const cell = target?.cells[column + right];
      const box = cell?.querySelector("input");
      if (box) {
        box.value = value.trim();
        placed += 1;
      } else if (value.trim() !== "") {
        left += 1;
      }
    });
  });
  let message = `${placed}マスに貼り付けました。`;
  if (left) message += `入力欄のないところに当たった${left}個の値は入れていません（貼り付けを始める欄を確かめてください）。`;
  say(grid, message);
  recompute();
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
  if (grid) say(grid, "");
}
