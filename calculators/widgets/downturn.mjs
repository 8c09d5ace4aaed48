// 業況悪化（5%）判定 — the monthly sales grid and the three margin methods.
//
// Grid: rows are calendar years (oldest first), columns 1月〜12月, input names "sales.YYYY-MM".
// Which years get rows comes from Python (calculators/downturn.py DownturnForm.layout: 最近の月
// however it is typed, the years the cause compares, every year with a figure): in the form's
// data-kz-layout at build time and with every answer of the worker (layout() below). A year that
// holds a typed value is never dropped. Pasting cells copied from Excel (tab- and newline-separated)
// fills rightwards and downwards (widgets/paste.mjs).
// Margins: only a method with a typed figure gets request names, numbered margins[0], margins[1] …
// in method order, so kaizen_core's error paths land beside the right input. How a method may be
// written in a share link (1, ①) comes with the page's vocabulary. No rules here.

import { pasteBlock, say as tell } from "./paste.mjs";

/**
 * @typedef {{ years: number[], all_years: number[], max: number }} YearLayout
 * @typedef {{ form: HTMLFormElement, grid: HTMLElement, layout: YearLayout, expanded: boolean, recompute: () => void }} GridState
 */

/** @type {WeakMap<HTMLFormElement, GridState>} */
const states = new WeakMap();
// A share link's months this many years before its latest month with a figure get no row (app.mjs
// names them in its notice instead of making dozens of rows).
const LINK_REACH_YEARS = 7;

/** @param {number} year @param {number} month */
function monthKey(year, month) {
  return `${year}-${String(month).padStart(2, "0")}`;
}

/** @param {Element | null} node @param {any} fallback */
function readJson(node, fallback) {
  try {
    return node ? JSON.parse(node.textContent) : fallback;
  } catch {
    return fallback;
  }
}

// ---------------------------------------------------------------------------------------------
// The sales grid

/** @param {HTMLElement} grid @returns {Map<string, string>} */
function gridValues(grid) {
  const values = new Map();
  for (const input of grid.querySelectorAll("tbody input")) {
    const { name, value } = /** @type {HTMLInputElement} */ (input);
    if (value.trim() !== "") values.set(name.slice("sales.".length), value);
  }
  return values;
}

/**
 * The rows to show: the layout's years (all of them once 「すべて表示」 is pressed) and every year
 * that holds a value. @param {GridState} state @param {Map<string, string>} values
 */
function chooseYears(state, values) {
  const years = new Set(state.expanded ? state.layout.all_years : state.layout.years);
  for (const key of values.keys()) years.add(Number(key.slice(0, 4)));
  return [...years].filter(Number.isInteger).sort((a, b) => a - b);
}

function cell(year, month, value) {
  const key = monthKey(year, month);
  const id = `kz-f-sales-${key}`;
  const td = document.createElement("td");
  td.dataset.kzField = `sales.${key}`;
  const input = document.createElement("input");
  Object.assign(input, { type: "text", name: `sales.${key}`, id, value: value ?? "", autocomplete: "off", spellcheck: false });
  input.setAttribute("aria-label", `${year}年${month}月の売上高`);
  input.setAttribute("aria-describedby", `${id}-error`);
  input.style.minWidth = "6.5em";
  const error = document.createElement("p");
  Object.assign(error, { className: "kz-error", id: `${id}-error`, hidden: true });
  td.append(input, error);
  return td;
}

function yearRow(year, values) {
  const row = document.createElement("tr");
  row.dataset.year = String(year);
  const head = document.createElement("th");
  head.scope = "row";
  head.textContent = `${year}年`;
  head.style.cssText = "position:sticky;left:0;z-index:1;background:#fff;white-space:nowrap";
  row.append(head);
  for (let month = 1; month <= 12; month += 1) row.append(cell(year, month, values.get(monthKey(year, month))));
  return row;
}


/** @param {GridState} state @param {Map<string, string>} [values] @param {number[]} [years] */
function rebuild(state, values = gridValues(state.grid), years = chooseYears(state, values)) {
  const body = /** @type {HTMLTableSectionElement} */ (state.grid.querySelector("[data-kz-grid-body]"));
  const shown = [...body.rows].map((row) => Number(row.dataset.year));
  if (shown.join() === years.join()) {
    for (const input of body.querySelectorAll("input")) input.value = values.get(input.name.slice(6)) ?? "";
    return;
  }
  body.replaceChildren(...years.map((year) => yearRow(year, values)));
}

/** @param {GridState} state @param {string} text */
function say(state, text) {
  tell(state.grid.querySelector("[data-kz-grid-status]"), text);
}

/** @param {GridState} state @param {ClipboardEvent} event */
function onPaste(state, event) {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || !input.name.startsWith("sales.")) return;
  const pasted = pasteBlock(event, input, {
    rows: [...state.grid.querySelectorAll("[data-kz-grid-body] tr")],
    column: [...input.closest("tr").querySelectorAll("input")].indexOf(input),
    status: state.grid.querySelector("[data-kz-grid-status]"),
    put(row, index, value) {
      const target = row?.querySelectorAll("input")[index];
      if (target) target.value = value;
      return Boolean(target);
    },
    skipped: (left) =>
      `表からはみ出した${left}個の値は入れていません（上の行から貼り付けるか、「すべて表示」で行を増やしてください）。`,
  });
  if (pasted) state.recompute();
}

// ---------------------------------------------------------------------------------------------
// Margin methods ①②③

function setIndex(group, index) {
  const prefix = index === null ? null : `margins[${index}]`;
  if (prefix) group.dataset.kzField = prefix;
  else delete group.dataset.kzField;
  for (const input of group.querySelectorAll("[data-kz-name]")) {
    if (prefix) input.name = `${prefix}.${input.dataset.kzName}`;
    else input.removeAttribute("name");
    if (input.dataset.kzName === "method") input.value = group.dataset.kzMethod;
  }
  for (const slot of group.querySelectorAll("[data-kz-slot]")) {
    if (prefix) slot.dataset.kzField = `${prefix}.${slot.dataset.kzSlot}`;
    else delete slot.dataset.kzField;
  }
}

function groups(form) {
  return [...form.querySelectorAll("fieldset[data-kz-method]")];
}

function renumber(form) {
  let next = 0;
  for (const group of groups(form)) {
    const used = [...group.querySelectorAll("input[type=text]")].some((input) => input.value.trim() !== "");
    setIndex(group, used ? next++ : null);
  }
}


// ---------------------------------------------------------------------------------------------
// Entry points called by app.mjs

/** @param {HTMLElement} grid @param {GridState} state */
function bindGridTools(grid, state) {
  grid.addEventListener("paste", (event) => onPaste(state, event));
  grid.querySelector("[data-kz-grid-action=expand]")?.addEventListener("click", (event) => {
    state.expanded = !state.expanded;
    const button = /** @type {HTMLElement} */ (event.currentTarget);
    button.setAttribute("aria-pressed", String(state.expanded));
    rebuild(state);
    say(state, state.expanded ? `${state.layout.max}年分の行を表示しました。` : "判定に使う年の行だけを表示しました（入力した年は残ります）。");
  });
  grid.querySelector("[data-kz-grid-action=clear]")?.addEventListener("click", () => {
    rebuild(state, new Map());
    say(state, "表の売上高をすべて消しました。");
    state.recompute();
  });
}

/** @param {{ root: HTMLElement, form: HTMLFormElement, layout: any, recompute: () => void }} ctx */
export function setup(ctx) {
  const grid = /** @type {HTMLElement | null} */ (ctx.root.querySelector("[data-kz-year-grid]"));
  if (!grid) return;
  /** @type {GridState} */
  const state = { form: ctx.form, grid, layout: ctx.layout, expanded: false, recompute: ctx.recompute };
  states.set(ctx.form, state);
  // Registered before the page's own listeners: margin names are right before the request is read.
  const onChange = (/** @type {Event} */ event) => {
    if (/** @type {Element} */ (event.target).closest?.("fieldset[data-kz-method]")) renumber(ctx.form);
  };
  ctx.form.addEventListener("input", onChange);
  ctx.form.addEventListener("change", onChange);
  bindGridTools(grid, state);
  renumber(ctx.form);
}

/**
 * The worker's layout for the request it just computed (DownturnForm.layout): the rows follow
 * 最近の月 and the cause. Returns whether the request changed: never (the rows added or dropped are
 * empty). @param {{ form: HTMLFormElement }} ctx @param {YearLayout} next
 */
export function layout(ctx, next) {
  const state = states.get(ctx.form);
  if (!state || !Array.isArray(next?.years) || !Array.isArray(next?.all_years)) return false;
  state.layout = next;
  rebuild(state);
  return false;
}

/** A request's sales by month, without those years before its latest year with a figure. */
function requestSales(flat) {
  const values = new Map();
  for (const [name, value] of Object.entries(flat)) {
    const key = name.startsWith("sales.") ? name.slice(6) : null;
    if (key && /^\d{4}-\d{2}$/.test(key) && value !== null && value !== undefined && String(value).trim() !== "") {
      values.set(key, String(value));
    }
  }
  const last = Math.max(...[...values.keys()].map((key) => Number(key.slice(0, 4))));
  for (const key of [...values.keys()]) if (Number(key.slice(0, 4)) < last - LINK_REACH_YEARS) values.delete(key);
  return values;
}

/**
 * Numbers the margin groups as the request does (its method written 1 or ①: the vocabulary's words).
 * @param {HTMLFormElement} form @param {Record<string, any>} flat @param {Record<string, string>} words
 */
function assignMargins(form, flat, words) {
  const assigned = new Set();
  for (const group of groups(form)) {
    for (const input of group.querySelectorAll("input[type=text]")) /** @type {HTMLInputElement} */ (input).value = "";
    setIndex(group, null);
  }
  for (let index = 0; flat[`margins[${index}].method`] !== undefined || index < 3; index += 1) {
    const method = words[String(flat[`margins[${index}].method`] ?? "").trim()];
    const group = form.querySelector(`fieldset[data-kz-method="${method}"]`);
    if (!method || !group || assigned.has(method)) continue;
    assigned.add(method);
    setIndex(/** @type {HTMLElement} */ (group), index);
  }
}

/**
 * Before a request (share link, autosave, file) fills the form: the cause as the form's code, a row
 * for every year the request has figures for (the worker's layout adds the others once it answers),
 * the margin groups numbered. @param {{ root: HTMLElement, form: HTMLFormElement }} ctx
 * @param {Record<string, any>} flat
 */
export function prepare(ctx, flat) {
  const state = states.get(ctx.form);
  const words = readJson(ctx.root.querySelector("#kz-downturn-vocabulary"), {});
  const cause = String(flat.cause ?? "").trim();
  if (words.cause?.[cause]) flat.cause = words.cause[cause];
  if (state) {
    const values = requestSales(flat);
    rebuild(state, values, values.size ? [...new Set([...values.keys()].map((key) => Number(key.slice(0, 4))))].sort() : undefined);
    say(state, "");
  }
  assignMargins(ctx.form, flat, words.method ?? {});
}
