// 数値計画チェック — the year grids (plan years and actual years as columns) and the 実態修正 rows.
//
// Grids: one row per figure, one column per year, input names "years[0].sales" … The build renders
// the table twice from the same macro (calculators/templates/widgets/plan_macros.html): with the
// first paint's columns, and with the one column "__I__" (its number "__N__") inside
// <template data-kz-template="years"> (or "actuals"). The script adds a column by cloning that
// template (widgets/template.mjs) and removes the last one, between the grid's data-kz-min and
// data-kz-max, and pastes blocks copied from Excel (tab- and newline-separated; widgets/paste.mjs)
// rightwards and downwards, adding columns up to the maximum. A cell is found by its row and its
// position: no input name or label is written here.
// 実態修正: rows cloned from <template data-kz-template="adjustments">; after a removal the rows
// below are cloned again with their new index, keeping what was typed, so that the request's
// indexes stay 0, 1, 2 … and the names, ids and labels are the template's. No rules here:
// kaizen_core checks every figure.

import { pasteBlock, say as tell } from "./paste.mjs";
import { instantiate } from "./template.mjs";

const GRID = "[data-kz-plan-grid]";
const ROW = "tbody tr[data-kz-plan-row]";
const ADJUSTMENTS = "adjustments";

/** The tokens of the template's row or column ``index``. @param {number} index @returns {[string, string][]} */
function tokens(index) {
  return [
    ["__I__", String(index)],
    ["__N__", String(index + 1)],
  ];
}

/** @param {HTMLElement} grid */
function headRow(grid) {
  return /** @type {HTMLTableRowElement | null} */ (grid.querySelector("[data-kz-plan-head]"));
}

/** @param {HTMLElement} grid */
function columnCount(grid) {
  const head = headRow(grid);
  return head ? head.cells.length - 1 : 0;
}

/** The figure rows of a grid (or of a clone of its template). @param {ParentNode} root */
function rowsOf(root) {
  return /** @type {HTMLTableRowElement[]} */ ([...root.querySelectorAll(ROW)]);
}

/** The input of column ``index`` in a row (its first cell is the row's name). */
function cellInput(row, index) {
  return /** @type {HTMLInputElement | null} */ (row.cells[index + 1]?.querySelector("input") ?? null);
}

/** The name of column ``index``, as its heading says. @param {HTMLElement} grid @param {number} index */
function columnName(grid, index) {
  return headRow(grid)?.cells[index + 1]?.textContent?.trim() ?? "";
}

/** Appends the template's column ``index`` (its heading and a cell in each row, all empty). */
function appendColumn(grid, index) {
  const column = instantiate(grid, grid.dataset.kzPlanGrid ?? "", tokens(index));
  const heads = headRow(column)?.cells;
  if (heads) headRow(grid)?.append(heads[heads.length - 1]);
  const cells = new Map(rowsOf(column).map((row) => [row.dataset.kzPlanRow, row.cells[row.cells.length - 1]]));
  for (const row of rowsOf(grid)) {
    const cell = cells.get(row.dataset.kzPlanRow);
    if (cell) row.append(cell);
  }
}

/** Adds or removes columns at the end until the grid has ``count``. */
function setColumns(grid, count) {
  for (let index = columnCount(grid); index < count; index += 1) appendColumn(grid, index);
  for (let index = columnCount(grid); index > count; index -= 1) {
    headRow(grid)?.lastElementChild?.remove();
    for (const row of rowsOf(grid)) row.lastElementChild?.remove();
  }
  const wrap = /** @type {HTMLElement | null} */ (grid.querySelector("[data-kz-plan-wrap]"));
  if (wrap) wrap.hidden = count === 0; // a grid without columns shows its buttons only
}

const STATUS = "[data-kz-plan-status]";

function say(grid, text) {
  tell(grid.querySelector(STATUS), text);
}

/** @param {HTMLElement} grid */
function bounds(grid) {
  return { min: Number(grid.dataset.kzMin), max: Number(grid.dataset.kzMax) };
}

/** The row of the years' names (the grid's text row). @param {ParentNode} grid */
function nameRow(grid) {
  return /** @type {HTMLTableRowElement | null} */ (grid.querySelector("tbody tr[data-kz-plan-kind=text]"));
}

/** The plan's name of column ``index``, for the same column of another grid (the actuals). */
function planName(form, grid, index) {
  const plan = form.querySelector(GRID);
  if (!plan || plan === grid) return "";
  const row = nameRow(plan);
  return (row && cellInput(row, index)?.value.trim()) || "";
}

function addColumn(form, grid, recompute) {
  const count = columnCount(grid);
  const { max } = bounds(grid);
  if (count >= max) {
    say(grid, `年度は${max}列までです。`);
    return;
  }
  setColumns(grid, count + 1);
  const names = nameRow(grid);
  const label = names && cellInput(names, count);
  if (label) label.value = planName(form, grid, count);
  say(grid, `${columnName(grid, count)}の列を追加しました。`);
  const empty = rowsOf(grid)
    .map((row) => cellInput(row, count))
    .find((input) => input && input.value === "");
  empty?.focus();
  recompute();
}

function removeColumn(grid, recompute) {
  const count = columnCount(grid);
  const { min } = bounds(grid);
  if (count <= min) {
    say(grid, min ? `年度は${min}列以上必要です。` : "削除する列はありません。");
    return;
  }
  const name = columnName(grid, count - 1);
  setColumns(grid, count - 1);
  say(grid, `${name}の列を削除しました。`);
  recompute();
}

/** @param {HTMLElement} grid @param {ClipboardEvent} event @param {() => void} recompute */
function onPaste(grid, event, recompute) {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || !input.closest("tbody")) return;
  const rows = rowsOf(grid);
  const { max } = bounds(grid);
  const cell = input.closest("td");
  const column = cell instanceof HTMLTableCellElement ? cell.cellIndex - 1 : -1;
  if (column < 0) return;
  const pasted = pasteBlock(event, input, {
    rows,
    column,
    status: grid.querySelector(STATUS),
    // columns are added for the block's widest line, up to the grid's maximum
    begin: (lines) => {
      const wanted = column + Math.max(...lines.map((cells) => cells.length));
      setColumns(grid, Math.max(columnCount(grid), Math.min(wanted, max)));
    },
    put(row, index, value) {
      const target = row instanceof HTMLTableRowElement ? cellInput(row, index) : null;
      if (!target) return false;
      target.value = value;
      return true;
    },
    skipped: (left) => `表からはみ出した${left}個の値は入れていません（項目は${rows.length}行、年度は${max}列までです）。`,
  });
  if (pasted) recompute();
}

// ---------------------------------------------------------------------------------------------
// 実態修正 rows

function adjustmentBox(form) {
  return /** @type {HTMLElement | null} */ (form.querySelector("[data-kz-plan-adjustments]"));
}

function adjustmentList(form) {
  return form.querySelector("[data-kz-plan-list]");
}

function newRow(form) {
  const list = adjustmentList(form);
  if (!list) return null;
  const row = instantiate(form, ADJUSTMENTS, tokens(list.children.length));
  list.append(row);
  return row;
}

/** Puts the template's row ``index`` in place of ``row``, with what was typed into it. */
function renumberRow(form, row, index) {
  const fresh = instantiate(form, ADJUSTMENTS, tokens(index));
  const typed = [...row.querySelectorAll("input")].map((input) => input.value);
  fresh.querySelectorAll("input").forEach((input, at) => {
    input.value = typed[at] ?? "";
  });
  row.replaceWith(fresh);
  return fresh;
}

/** Removes a row; the rows below it take the index one lower. Returns the row now in its place. */
function removeRow(form, row) {
  const list = adjustmentList(form);
  if (!list) return null;
  const rows = [...list.children];
  const at = rows.indexOf(row);
  row.remove();
  const renumbered = rows.slice(at + 1).map((below, offset) => renumberRow(form, below, at + offset));
  return renumbered[0] ?? rows[at - 1] ?? null;
}

function setRows(form, count) {
  const list = adjustmentList(form);
  if (!list) return;
  while (list.children.length > count) list.lastElementChild?.remove();
  while (list.children.length < count) if (!newRow(form)) break;
}

// ---------------------------------------------------------------------------------------------
// Entry points called by app.mjs

/** @param {{ root: HTMLElement, form: HTMLFormElement, recompute: () => void }} ctx */
export function setup(ctx) {
  for (const node of ctx.form.querySelectorAll(GRID)) {
    const grid = /** @type {HTMLElement} */ (node);
    grid.addEventListener("paste", (event) => onPaste(grid, event, ctx.recompute));
    grid.querySelector("[data-kz-plan-action=add]")?.addEventListener("click", () => addColumn(ctx.form, grid, ctx.recompute));
    grid.querySelector("[data-kz-plan-action=remove]")?.addEventListener("click", () => removeColumn(grid, ctx.recompute));
  }
  ctx.form.querySelector("[data-kz-plan-add-row]")?.addEventListener("click", () => {
    const row = newRow(ctx.form);
    row?.querySelector("input")?.focus();
    ctx.recompute();
  });
  ctx.form.addEventListener("click", (event) => {
    const button = /** @type {Element} */ (event.target).closest?.("[data-kz-plan-remove-row]");
    const row = button?.closest("[data-kz-plan-adjustment]");
    if (!row) return;
    const next = removeRow(ctx.form, row);
    const focus = next?.querySelector("input") ?? ctx.form.querySelector("[data-kz-plan-add-row]");
    /** @type {HTMLElement | null} */ (focus)?.focus();
    ctx.recompute();
  });
}

/** How many items a flat request holds under ``prefix`` (its highest index + 1, at most ``limit``). */
function itemCount(flat, prefix, limit) {
  let count = 0;
  const pattern = new RegExp(`^${prefix.replace(/[.[\]]/g, "\\$&")}\\[(\\d+)\\]`);
  for (const name of Object.keys(flat)) {
    const found = pattern.exec(name);
    if (found && Number(found[1]) < limit) count = Math.max(count, Number(found[1]) + 1);
  }
  return count;
}

/**
 * Before a request (share link, autosave, file, 入力例, 空にする) fills the form: as many year columns
 * and 実態修正 rows as it holds (the plan at least its fewest); app.mjs then fills every input by
 * name. @param {{ form: HTMLFormElement }} ctx @param {Record<string, any>} flat
 */
export function prepare(ctx, flat) {
  for (const node of ctx.form.querySelectorAll(GRID)) {
    const grid = /** @type {HTMLElement} */ (node);
    const { min, max } = bounds(grid);
    setColumns(grid, Math.max(min, itemCount(flat, grid.dataset.kzPlanGrid ?? "", max)));
    say(grid, "");
  }
  const box = adjustmentBox(ctx.form);
  if (box) setRows(ctx.form, itemCount(flat, box.dataset.kzField ?? "", Number(box.dataset.kzMax)));
}
