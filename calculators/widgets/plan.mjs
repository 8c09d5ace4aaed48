// 数値計画チェック — the year grids (plan years and actual years as columns) and the 実態修正 rows.
//
// Grids: one row per figure (the rows and their names come from the table rendered at build time,
// calculators/templates/widgets/plan_macros.html), one column per year, input names
// "years[0].sales" … The script adds and removes the last column (between the grid's data-kz-min and
// data-kz-max), rebuilds the cells with DOM APIs keeping what was typed, and pastes blocks copied from
// Excel (tab- and newline-separated; widgets/paste.mjs) rightwards and downwards, adding columns up to the maximum.
// 実態修正: rows cloned from the <template>, renumbered after a removal so that the request's
// indexes stay 0, 1, 2 … No rules here: kaizen_core checks every figure.

import { pasteBlock, say as tell } from "./paste.mjs";

const GRID = "[data-kz-plan-grid]";

/** @param {HTMLElement} grid */
function prefixOf(grid) {
  return grid.dataset.kzPlanGrid ?? "years";
}

/** @param {HTMLElement} grid */
function columnCount(grid) {
  const head = grid.querySelector("[data-kz-plan-head]");
  return head ? head.children.length - 1 : 0;
}

/** @param {HTMLElement} grid @param {number} index */
function columnName(grid, index) {
  return `${grid.dataset.kzNoun ?? ""}${index + 1}年目`;
}

/** @param {HTMLElement} grid @returns {Map<string, string>} */
function gridValues(grid) {
  const values = new Map();
  for (const input of grid.querySelectorAll("tbody input")) {
    const { name, value } = /** @type {HTMLInputElement} */ (input);
    if (value !== "") values.set(name, value);
  }
  return values;
}

function cell(prefix, index, key, rowName, columnLabel, value) {
  const name = `${prefix}[${index}].${key}`;
  const id = `kz-f-${prefix}-${index}--${key}`;
  const td = document.createElement("td");
  td.dataset.kzField = name;
  const input = document.createElement("input");
  Object.assign(input, { type: "text", name, id, value: value ?? "", autocomplete: "off", spellcheck: false });
  input.setAttribute("aria-label", `${columnLabel}の${rowName}`);
  input.setAttribute("aria-describedby", `${id}-error`);
  if (key === "label") input.placeholder = "例：2027年3月期";
  const error = document.createElement("p");
  Object.assign(error, { className: "kz-error", id: `${id}-error`, hidden: true });
  td.append(input, error);
  return td;
}

/** Lays the grid out with ``count`` columns, with the given values (by input name). */
function rebuild(grid, count, values = gridValues(grid)) {
  const prefix = prefixOf(grid);
  const head = grid.querySelector("[data-kz-plan-head]");
  if (!head) return;
  const corner = head.firstElementChild;
  const heads = [];
  for (let index = 0; index < count; index += 1) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = columnName(grid, index);
    heads.push(th);
  }
  head.replaceChildren(corner, ...heads);
  const wrap = /** @type {HTMLElement | null} */ (grid.querySelector("[data-kz-plan-wrap]"));
  if (wrap) wrap.hidden = count === 0; // a grid without columns shows its buttons only
  for (const row of grid.querySelectorAll("tbody tr[data-kz-plan-row]")) {
    const tr = /** @type {HTMLTableRowElement} */ (row);
    const key = tr.dataset.kzPlanRow ?? "";
    const rowHead = tr.querySelector("th");
    const rowName = rowHead?.textContent?.trim() ?? key;
    const cells = [];
    for (let index = 0; index < count; index += 1) {
      cells.push(cell(prefix, index, key, rowName, columnName(grid, index), values.get(`${prefix}[${index}].${key}`)));
    }
    tr.replaceChildren(rowHead, ...cells);
  }
}

const STATUS = "[data-kz-plan-status]";

function say(grid, text) {
  tell(grid.querySelector(STATUS), text);
}

function bounds(grid) {
  return { min: Number(grid.dataset.kzMin ?? 0), max: Number(grid.dataset.kzMax ?? 10) };
}

/** The plan's label of a column, for a new actual column. */
function planLabel(form, index) {
  const input = form.querySelector(`[name="years[${index}].label"]`);
  return input instanceof HTMLInputElement ? input.value.trim() : "";
}

function addColumn(form, grid, recompute) {
  const count = columnCount(grid);
  const { max } = bounds(grid);
  if (count >= max) {
    say(grid, `年度は${max}列までです。`);
    return;
  }
  const values = gridValues(grid);
  const prefix = prefixOf(grid);
  if (prefix === "actuals") {
    const label = planLabel(form, count);
    if (label) values.set(`${prefix}[${count}].label`, label);
  }
  rebuild(grid, count + 1, values);
  say(grid, `${columnName(grid, count)}の列を追加しました。`);
  /** @type {HTMLElement | null} */ (grid.querySelector(`[name="${prefix}[${count}].${prefix === "actuals" ? "sales" : "label"}"]`))?.focus();
  recompute();
}

function removeColumn(grid, recompute) {
  const count = columnCount(grid);
  const { min } = bounds(grid);
  if (count <= min) {
    say(grid, min ? `年度は${min}列以上必要です。` : "削除する列はありません。");
    return;
  }
  rebuild(grid, count - 1);
  say(grid, `${columnName(grid, count - 1)}の列を削除しました。`);
  recompute();
}

/** @param {HTMLElement} grid @param {ClipboardEvent} event @param {() => void} recompute */
function onPaste(grid, event, recompute) {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || !input.closest("tbody")) return;
  const rows = [...grid.querySelectorAll("tbody tr[data-kz-plan-row]")];
  const { max } = bounds(grid);
  const values = gridValues(grid);
  const prefix = prefixOf(grid);
  const column = [...(input.closest("tr")?.querySelectorAll("input") ?? [])].indexOf(input);
  let count = columnCount(grid);
  const pasted = pasteBlock(event, input, {
    rows,
    column,
    status: grid.querySelector(STATUS),
    // columns are added for the block's widest line, up to the grid's maximum
    begin: (lines) => {
      count = Math.min(Math.max(count, column + Math.max(...lines.map((cells) => cells.length))), max);
    },
    put(row, index, value) {
      const key = /** @type {HTMLElement | undefined} */ (row)?.dataset.kzPlanRow;
      if (!key || index >= count) return false;
      const name = `${prefix}[${index}].${key}`;
      if (value === "") values.delete(name);
      else values.set(name, value);
      return true;
    },
    skipped: (left) => `表からはみ出した${left}個の値は入れていません（項目は${rows.length}行、年度は${max}列までです）。`,
  });
  if (!pasted) return;
  rebuild(grid, count, values);
  /** @type {HTMLElement | null} */ (grid.querySelector(`[name="${CSS.escape(input.name)}"]`))?.focus();
  recompute();
}

// ---------------------------------------------------------------------------------------------
// 実態修正 rows

function adjustmentList(form) {
  return form.querySelector("[data-kz-plan-list]");
}

/** Gives a row the request index ``index`` (names, ids, labels and its number). */
function numberRow(row, index) {
  const swap = (text) =>
    text
      .replace(/base\.adjustments\[(?:\d+|__I__)\]/g, `base.adjustments[${index}]`)
      .replace(/kz-f-base-adjustments-(?:\d+|__I__)-/g, `kz-f-base-adjustments-${index}-`)
      .replace(/__N__|修正\d+を削除/g, (found) => (found === "__N__" ? String(index + 1) : `修正${index + 1}を削除`));
  for (const node of [row, ...row.querySelectorAll("*")]) {
    for (const attribute of ["name", "id", "for", "aria-describedby", "aria-label", "data-kz-field"]) {
      const value = node.getAttribute(attribute);
      if (value !== null) node.setAttribute(attribute, swap(value));
    }
  }
  for (const number of row.querySelectorAll("[data-kz-row-no]")) number.textContent = String(index + 1);
}

function renumber(form) {
  const list = adjustmentList(form);
  if (!list) return;
  [...list.children].forEach((row, index) => numberRow(row, index));
}

function newRow(form) {
  const template = form.querySelector("template[data-kz-plan-template]");
  const list = adjustmentList(form);
  if (!(template instanceof HTMLTemplateElement) || !list) return null;
  const row = /** @type {HTMLElement} */ (template.content.firstElementChild?.cloneNode(true));
  if (!row) return null;
  list.append(row);
  numberRow(row, list.children.length - 1);
  return row;
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
    if (!button) return;
    const row = button.closest("li");
    const list = adjustmentList(ctx.form);
    const next = row?.nextElementSibling ?? row?.previousElementSibling;
    row?.remove();
    renumber(ctx.form);
    const focus = next?.querySelector("input") ?? ctx.form.querySelector("[data-kz-plan-add-row]");
    /** @type {HTMLElement | null} */ (focus)?.focus();
    if (list) ctx.recompute();
  });
}

/** How many items a flat request holds under ``prefix`` (its highest index + 1, at most ``limit``). */
function itemCount(flat, prefix, limit) {
  let count = 0;
  const pattern = new RegExp(`^${prefix.replace(/[.[\]]/g, "\\$&")}\\[(\\d{1,2})\\]`);
  for (const name of Object.keys(flat)) {
    const found = pattern.exec(name);
    if (found && Number(found[1]) < limit) count = Math.max(count, Number(found[1]) + 1);
  }
  return count;
}

/**
 * Before a request (share link, autosave, file, 入力例, 空にする) fills the form: as many year columns
 * and 実態修正 rows as it holds (the plan at least its fewest), all of them empty; app.mjs then fills
 * them by name. @param {{ form: HTMLFormElement }} ctx @param {Record<string, any>} flat
 */
export function prepare(ctx, flat) {
  for (const node of ctx.form.querySelectorAll(GRID)) {
    const grid = /** @type {HTMLElement} */ (node);
    const { min, max } = bounds(grid);
    rebuild(grid, Math.max(min, itemCount(flat, prefixOf(grid), max)), new Map());
    say(grid, "");
  }
  const list = ctx.form.querySelector("[data-kz-plan-adjustments]");
  setRows(ctx.form, itemCount(flat, "base.adjustments", Number(/** @type {HTMLElement | null} */ (list)?.dataset.kzMax ?? 0)));
}

/**
 * Request keys the form can take though it has no such input yet (a grid without columns): each
 * grid's rows, as in its table. @param {HTMLFormElement} form
 */
export function aliases(form) {
  const names = [];
  for (const grid of form.querySelectorAll(GRID)) {
    const prefix = prefixOf(/** @type {HTMLElement} */ (grid));
    for (const row of grid.querySelectorAll("tr[data-kz-plan-row]")) {
      names.push(`${prefix}[0].${/** @type {HTMLElement} */ (row).dataset.kzPlanRow}`);
    }
  }
  return names;
}
