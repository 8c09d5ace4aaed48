// 業況悪化（5%）判定 — the monthly sales grid and the three margin methods.
//
// Grid: rows are calendar years (oldest first), columns 1月〜12月, input names "sales.YYYY-MM".
// Which years get rows comes from Python (calculators/downturn.py DownturnForm.layout: 最近の月
// however it is typed, the years the cause compares, every year with a figure): in the form's
// data-kz-layout at build time and with every answer of the worker (layout() below). A year that
// holds a typed value is never dropped. A row the script adds is a clone of the build's
// <template data-kz-template="year-row"> (the macro of the first paint's rows, the year "__Y__").
// Pasting cells copied from Excel (tab- and newline-separated) fills rightwards and downwards
// (widgets/paste.mjs).
// Margins: only a method with a typed figure gets request names, numbered margins[0], margins[1] …
// in method order, so kaizen_core's error paths land beside the right input. How a cause or a
// method may be written in a share link (1, ①) and how far back its sales get rows come with the
// page's vocabulary (DownturnForm.vocabulary). No rules here.

import { pasteBlock, say as tell } from "./paste.mjs";
import { instantiate } from "./template.mjs";

/**
 * @typedef {{ years: number[], all_years: number[], max: number }} YearLayout
 * @typedef {{
 *   form: HTMLFormElement, grid: HTMLElement, prefix: string, layout: YearLayout, expanded: boolean,
 *   recompute: () => void,
 * }} GridState
 * @typedef {{ cause?: Record<string, string>, method?: Record<string, string>, reach_years?: number }} Vocabulary
 */

/** @type {WeakMap<HTMLFormElement, GridState>} */
const states = new WeakMap();

/** The year of a month key ("2024-03" → 2024). @param {string} key */
function yearOf(key) {
  return Number(key.slice(0, 4));
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

/** The typed figures by month key ("2024-03"). @param {GridState} state @returns {Map<string, string>} */
function gridValues(state) {
  const values = new Map();
  for (const input of state.grid.querySelectorAll("[data-kz-grid-body] input")) {
    const { name, value } = /** @type {HTMLInputElement} */ (input);
    if (value.trim() !== "") values.set(name.slice(state.prefix.length), value);
  }
  return values;
}

/**
 * The rows to show: the layout's years (all of them once 「すべて表示」 is pressed) and every year
 * that holds a value. @param {GridState} state @param {Map<string, string>} values
 */
function chooseYears(state, values) {
  const years = new Set(state.expanded ? state.layout.all_years : state.layout.years);
  for (const key of values.keys()) years.add(yearOf(key));
  return [...years].filter(Number.isInteger).sort((a, b) => a - b);
}

/**
 * Writes each month's figure (or nothing) into the inputs under ``row``.
 * @param {GridState} state @param {Element} row @param {Map<string, string>} values
 */
function fillRow(state, row, values) {
  for (const input of row.querySelectorAll("input")) {
    const cell = /** @type {HTMLInputElement} */ (input);
    cell.value = values.get(cell.name.slice(state.prefix.length)) ?? "";
  }
}

/**
 * The row of ``year``: the build's row template, its year written in (names, ids, labels), its
 * figures filled in. @param {GridState} state @param {number} year @param {Map<string, string>} values
 */
function yearRow(state, year, values) {
  const row = instantiate(state.grid, "year-row", [["__Y__", String(year)]]);
  fillRow(state, row, values);
  return row;
}

/** @param {GridState} state @param {Map<string, string>} [values] @param {number[]} [years] */
function rebuild(state, values = gridValues(state), years = chooseYears(state, values)) {
  const body = /** @type {HTMLTableSectionElement} */ (state.grid.querySelector("[data-kz-grid-body]"));
  const shown = [...body.rows].map((row) => Number(row.dataset.year));
  if (shown.join() === years.join()) {
    fillRow(state, body, values);
    return;
  }
  body.replaceChildren(...years.map((year) => yearRow(state, year, values)));
}

/** @param {GridState} state @param {string} text */
function say(state, text) {
  tell(state.grid.querySelector("[data-kz-grid-status]"), text);
}

/** @param {GridState} state @param {ClipboardEvent} event */
function onPaste(state, event) {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || !input.name.startsWith(state.prefix)) return;
  const pasted = pasteBlock(event, input, {
    rows: [...state.grid.querySelectorAll("[data-kz-grid-body] tr")],
    column: [...(input.closest("tr")?.querySelectorAll("input") ?? [])].indexOf(input),
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
  // the grid's data-kz-field is the request path of its figures ("sales"): a cell's name is that and its month
  const prefix = `${grid.dataset.kzField}.`;
  /** @type {GridState} */
  const state = { form: ctx.form, grid, prefix, layout: ctx.layout, expanded: false, recompute: ctx.recompute };
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

/**
 * A request's sales by month key, without those more than the vocabulary's reach_years before its
 * last year with a figure (app.mjs names them in its notice instead of making dozens of rows). A key
 * is a month as the form writes it: the form's __M__ pattern (data-kz-key-tokens).
 * @param {GridState} state @param {Record<string, any>} flat @param {number | undefined} reach
 */
function requestSales(state, flat, reach) {
  const month = new RegExp(`^(?:${JSON.parse(state.form.dataset.kzKeyTokens ?? "{}").__M__})$`);
  const values = new Map();
  for (const [name, value] of Object.entries(flat)) {
    const key = name.startsWith(state.prefix) ? name.slice(state.prefix.length) : null;
    if (key && month.test(key) && value !== null && value !== undefined && String(value).trim() !== "") {
      values.set(key, String(value));
    }
  }
  if (typeof reach !== "number" || !Number.isInteger(reach)) return values;
  const last = Math.max(...[...values.keys()].map(yearOf));
  for (const key of [...values.keys()]) if (yearOf(key) < last - reach) values.delete(key);
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
  // every index up to the number of methods (an entry may be missing), and on while the request has more
  const count = groups(form).length;
  for (let index = 0; flat[`margins[${index}].method`] !== undefined || index < count; index += 1) {
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
  /** @type {Vocabulary} */
  const words = readJson(ctx.root.querySelector("#kz-downturn-vocabulary"), {});
  const cause = String(flat.cause ?? "").trim();
  if (words.cause?.[cause]) flat.cause = words.cause[cause];
  if (state) {
    const values = requestSales(state, flat, words.reach_years);
    const years = [...new Set([...values.keys()].map(yearOf))].sort((a, b) => a - b);
    rebuild(state, values, values.size ? years : undefined);
    say(state, "");
  }
  assignMargins(ctx.form, flat, words.method ?? {});
}
