// 資金繰り表 (forecast): the dynamic parts of the form.
//
// Every input's name is its path in the request (loans[1].balance, sales.monthly.2026-04), so this
// file only creates, renames, renumbers and removes inputs; kaizen_core reads and checks them all.
// No rules here: a preset such as 「月末締め・翌月末」 just writes the rows it stands for, and the
// month lists follow the table's months as Python reads them from 開始の年月 and 月数, with their
// labels (calculators/forecast_form.py ForecastForm.layout: in the form's data-kz-layout at build
// time, then with every answer of the worker, layout() below; kaizen_core reports a start it cannot
// read). What a request loaded from a link, storage or a file needs before Python has read it (which
// mode its keys choose, how many months they may span) is the page's #kz-forecast-vocabulary
// (ForecastForm.vocabulary), and what a month key may be is the form's data-kz-key-tokens.
// Rows, month cells and options are cloned from <template> elements rendered by the build
// (calculators/templates/widgets/forecast_*.html) with the tokens __I__ __N__ __M__ __L__ __P__ __D__.

import { instantiate } from "./template.mjs";

const STATE = new WeakMap();
/**
 * Request keys the form takes although no input has that name now (app.mjs's vocabulary): a
 * seasonality given as a list of 12 is shown in the 1月…12月 inputs, and a recurring amount is
 * "payroll" or "payroll.amount" depending on whether some month differs (prepare()).
 */
export function aliases(form) {
  const names = ["sales.seasonality[__I__]"];
  for (const box of all(form, "[data-kz-recurring]")) names.push(box.dataset.kzRecurring, `${box.dataset.kzRecurring}.amount`);
  return names;
}
const RENAMED = ["name", "id", "for", "aria-describedby", "data-kz-field", "data-kz-show-if", "data-kz-grid"];

// ---------------------------------------------------------------------------------------------
// Months

function normalise(text) {
  return String(text ?? "").normalize("NFKC").trim();
}

/** The page's #kz-forecast-vocabulary (ForecastForm.vocabulary). */
function vocabulary(form) {
  const state = stateOf(form);
  if (!state.vocabulary) {
    try {
      state.vocabulary = JSON.parse(form.querySelector("#kz-forecast-vocabulary")?.textContent || "{}");
    } catch {
      state.vocabulary = {};
    }
  }
  return state.vocabulary;
}

/**
 * A month's label as Python writes it (the layout's labels: 2026-04 → 2026年4月). A month Python
 * has not labelled yet (one a loaded request names, before the worker has read it) shows as its
 * key until the next answer labels it (layout() then lays the months out again).
 */
function label(form, key) {
  const state = stateOf(form);
  const text = state.labels.get(key);
  if (text !== undefined) return text;
  state.unlabelled.add(key);
  return key;
}

/** "2026-04" → the month index (year × 12 + month − 1); the keys are the form's own, YYYY-MM. */
function monthIndex(key) {
  return Number(key.slice(0, 4)) * 12 + Number(key.slice(5, 7)) - 1;
}

function monthKey(index) {
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
}

// Before Python has answered, a request loaded from a link, storage or a file is laid out over the
// months its own keys name (the first to the last, at most the vocabulary's max_months); the
// worker's layout then gives the table's real months. A month key is what the form's
// data-kz-key-tokens says (calculators/forms.py KEY_TOKENS, as app.mjs checks the keys).
function monthsNamed(form, flat) {
  const month = JSON.parse(form.dataset.kzKeyTokens || "{}").__M__;
  const max = Number(vocabulary(form).max_months);
  if (!month || !max) return null;
  const inKey = new RegExp(`(?:^|\\.)(${month})(?:\\.|$)`);
  const whole = new RegExp(`^(?:${month})$`);
  const found = [];
  for (const [key, value] of Object.entries(flat)) {
    const named = inKey.exec(key)?.[1];
    if (named) found.push(monthIndex(named));
    if (key.endsWith(".month") && whole.test(String(value))) found.push(monthIndex(String(value)));
  }
  if (!found.length) return null;
  const first = Math.min(...found);
  const count = Math.min(Math.max(...found) - first + 1, max);
  return Array.from({ length: count }, (_, i) => monthKey(first + i));
}

// ---------------------------------------------------------------------------------------------
// Small DOM helpers

function stateOf(form) {
  let state = STATE.get(form);
  if (!state) {
    state = { horizon: [], labels: new Map(), unlabelled: new Set(), cache: new Map() };
    STATE.set(form, state);
  }
  return state;
}

function q(root, selector) {
  return root.querySelector(selector);
}

function all(root, selector) {
  return [...root.querySelectorAll(selector)];
}

function attr(name, value) {
  return `[${name}="${CSS.escape(value)}"]`;
}

function replaceInAttributes(root, pairs) {
  for (const element of [root, ...root.querySelectorAll("*")]) {
    for (const name of RENAMED) {
      const value = element.getAttribute(name);
      if (value === null) continue;
      let next = value;
      for (const [from, to] of pairs) next = next.split(from).join(to);
      if (next !== value) element.setAttribute(name, next);
    }
  }
}

// Tell app.mjs that the form changed (it re-applies data-kz-show-if and recomputes once Python is
// ready; ctx.recompute() would also call the worker before it exists).
function notify(form) {
  form.dispatchEvent(new Event("input", { bubbles: true }));
}

function rememberValues(form, root) {
  const { cache } = stateOf(form);
  for (const input of all(root, "input[name]")) cache.set(input.name, input.value);
}

// ---------------------------------------------------------------------------------------------
// Month grids: sales.monthly, purchases.monthly, loans[0].schedule, opening_receivables (first 3)

function gridMonths(form, grid, extra = []) {
  const { horizon } = stateOf(form);
  const count = Number(grid.dataset.kzGridCount || 0);
  const months = count ? horizon.slice(0, count) : [...horizon];
  for (const key of extra) if (!months.includes(key)) months.push(key);
  return months;
}

function gridKeys(grid) {
  const prefix = grid.dataset.kzGrid;
  return all(grid, ":scope > [data-kz-field]").map((cell) => cell.dataset.kzField.slice(prefix.length + 1));
}

// The cells' ids are the grid's own id (Python's, ForecastForm.dom) and the month (token __D__).
function syncGrid(form, grid, extra = [], { force = false } = {}) {
  const prefix = grid.dataset.kzGrid;
  const wanted = gridMonths(form, grid, extra);
  if (!force && gridKeys(grid).join() === wanted.join()) return;
  rememberValues(form, grid);
  const { cache } = stateOf(form);
  grid.replaceChildren(
    ...wanted.map((key) => {
      const cell = instantiate(form, "month-cell", [
        ["__D__", grid.id],
        ["__P__", prefix],
        ["__M__", key],
        ["__L__", label(form, key)],
      ]);
      const input = q(cell, "input");
      input.value = cache.get(input.name) ?? "";
      return cell;
    }),
  );
}

// Paste a row (or a column) copied from Excel into consecutive inputs.
function onPaste(event) {
  const input = event.target;
  const box = input.closest?.("[data-kz-paste]");
  if (!box || input.tagName !== "INPUT") return;
  const text = event.clipboardData?.getData("text/plain") ?? "";
  const cells = text.replace(/[\r\n]+$/, "").split(/\t|\r?\n/);
  if (cells.length < 2) return;
  event.preventDefault();
  const inputs = all(box, "input[type=text]");
  const from = inputs.indexOf(input);
  cells.forEach((value, offset) => {
    const target = inputs[from + offset];
    if (target) target.value = value.trim();
  });
  input.dispatchEvent(new Event("input", { bubbles: true }));
}

// ---------------------------------------------------------------------------------------------
// Month selects: taxes[0].month (named) and the month of a keyed row (payroll.months.2026-07)

// The options are the months with their labels; a select with an empty choice keeps its own
// 「（選んでください）」, and a month outside them is the template "month-outside" (the build's text).
function fillMonthOptions(form, select, months, { empty }) {
  const current = select.value;
  const options = [];
  const blank = empty ? [...select.options].find((option) => option.value === "") : null;
  if (blank) options.push(blank);
  for (const key of months) options.push(new Option(label(form, key), key));
  if (current && !months.includes(current)) {
    const outside = /** @type {HTMLOptionElement} */ (instantiate(form, "month-outside", [["__L__", label(form, current)]]));
    outside.value = current;
    options.push(outside);
  }
  select.replaceChildren(...options);
  select.value = current;
}

function refreshMonthSelects(form, root = form) {
  const { horizon } = stateOf(form);
  for (const select of all(root, "select[data-kz-months]")) fillMonthOptions(form, select, horizon, { empty: true });
  for (const list of all(root, "[data-kz-keyed]")) refreshKeyed(form, list);
}

// ---------------------------------------------------------------------------------------------
// Row lists: taxes, capex, …, loans, and explicit collection/payment terms

function rowsOf(list) {
  return all(list, ":scope > [data-kz-row]");
}

function listOf(form, name) {
  return q(form, `[data-kz-list]${attr("data-kz-list", name)}`);
}

function prepareRow(form, row) {
  refreshMonthSelects(form, row);
  for (const grid of all(row, "[data-kz-grid]")) syncGrid(form, grid);
}

function addRow(form, name) {
  const list = listOf(form, name);
  const index = rowsOf(list).length;
  const row = instantiate(form, name, [
    ["__I__", String(index)],
    ["__N__", String(index + 1)],
  ]);
  list.append(row);
  prepareRow(form, row);
  return row;
}

// A row's path and id (its data-kz-field and id: loans[1], kz-f-loans-1-) prefix those of its
// inputs; the row's new ones are those of the list's template for the new index.
function renumber(form, row, name, to) {
  const fresh = instantiate(form, name, [
    ["__I__", String(to)],
    ["__N__", String(to + 1)],
  ]);
  const pairs = [
    [row.dataset.kzField, fresh.dataset.kzField],
    [row.id, fresh.id],
  ];
  replaceInAttributes(row, pairs.filter(([from, to]) => from && to));
  for (const number of all(row, "[data-kz-row-no]")) {
    if (number.closest("[data-kz-row]") === row) number.textContent = String(to + 1);
  }
  for (const button of all(row, "[data-kz-aria-label]")) {
    if (button.closest("[data-kz-row]") === row) {
      button.setAttribute("aria-label", button.dataset.kzAriaLabel.replace("{n}", String(to + 1)));
    }
  }
}

function removeRow(form, row) {
  const list = row.parentElement;
  const name = list.dataset.kzList;
  const rows = rowsOf(list);
  const at = rows.indexOf(row);
  row.remove();
  rows.splice(at, 1);
  for (let i = at; i < rows.length; i += 1) renumber(form, rows[i], name, i);
  const next = rows[at] ?? rows[at - 1];
  const focus = next?.querySelector("input, select") ?? q(form, `[data-kz-add]${attr("data-kz-add", name)}`);
  focus?.focus();
}

function setRowCount(form, name, count) {
  const list = listOf(form, name);
  if (!list) return;
  const rows = rowsOf(list);
  rows.slice(count).forEach((row) => row.remove());
  for (let i = rows.length; i < count; i += 1) addRow(form, name);
}

// ---------------------------------------------------------------------------------------------
// Keyed rows: a month with a different amount (payroll.months.2026-07 …)

function keyedRows(list) {
  return all(list, ":scope > [data-kz-keyed-row]");
}

function keyOfRow(row) {
  return row.dataset.kzField.split(".").pop();
}

function refreshKeyed(form, list) {
  const { horizon } = stateOf(form);
  const rows = keyedRows(list);
  const used = rows.map(keyOfRow);
  for (const row of rows) {
    const select = q(row, "select[data-kz-month-key]");
    const own = keyOfRow(row);
    fillMonthOptions(form, select, horizon.includes(own) ? horizon : [...horizon, own], { empty: false });
    select.value = own;
    for (const option of select.options) option.disabled = option.value !== own && used.includes(option.value);
    const button = q(row, "[data-kz-aria-label]");
    button.setAttribute("aria-label", button.dataset.kzAriaLabel.replace("{label}", label(form, own)));
  }
  syncRecurringName(list);
}

// A keyed row's input's name and id prefix everything else of the row; its new ones are those of
// the list's template for the new month.
function renameKeyedRow(form, row, key) {
  const list = row.parentElement;
  const input = q(row, "input[name]");
  const fresh = q(instantiate(form, list.dataset.kzKeyed, [["__M__", key]]), "input[name]");
  replaceInAttributes(row, [
    [input.name, fresh.name],
    [input.id, fresh.id],
  ]);
  return list;
}

function addKeyedRow(form, list, key) {
  const row = instantiate(form, list.dataset.kzKeyed, [
    ["__M__", key],
    ["__L__", label(form, key)],
  ]);
  list.append(row);
  refreshKeyed(form, list);
  return row;
}

// payroll is sent as one amount ("payroll": "30万") until a month differs; then as
// {"amount": …, "months": {…}}. The input and its container are renamed to match.
function syncRecurringName(list) {
  const box = list.closest("[data-kz-recurring]");
  if (!box) return;
  const key = box.dataset.kzRecurring;
  const input = q(box, `input[name="${key}"], input${attr("name", `${key}.amount`)}`);
  const name = keyedRows(list).length ? `${key}.amount` : key;
  if (!input || input.name === name) return;
  input.name = name;
  input.closest("[data-kz-field]").dataset.kzField = name;
}

// ---------------------------------------------------------------------------------------------
// Modes (sales: 基準額 / 月ごと; purchases & outsourcing: なし / 割合 / 金額 / 月ごと)

function applyMode(form, select) {
  const name = select.dataset.kzMode;
  for (const block of all(form, `[data-kz-mode-block]${attr("data-kz-mode-block", name)}`)) {
    block.hidden = !block.dataset.kzModeValue.split(" ").includes(select.value);
  }
  for (const grid of all(form, `[data-kz-grid]${attr("data-kz-grid", `${name}.monthly`)}`)) syncGrid(form, grid);
}

// How sales, purchases and outsourcing are given, from the keys a loaded request uses: the first
// mode of the vocabulary's list whose part the request has, else the one without a part
// (ForecastForm.amount_mode).
function prepareModes(form, { keys }) {
  const has = (path) => keys.some((key) => key === path || key.startsWith(`${path}.`) || key.startsWith(`${path}[`));
  const modes = vocabulary(form).modes ?? {};
  for (const select of all(form, "[data-kz-mode]")) {
    const choices = modes[select.dataset.kzMode] ?? [];
    const chosen = choices.find(([, path]) => path !== null && has(path)) ?? choices.find(([, path]) => path === null);
    if (chosen) select.value = chosen[0];
    applyMode(form, select);
  }
}

// Switching to 月ごと starts from the figures of the last result, so only changes need typing.
function prefillMonthly(form, name, root) {
  const accrual = { sales: "sales", purchases: "purchases", outsourcing: "outsourcing" }[name];
  const grid = q(form, `[data-kz-grid]${attr("data-kz-grid", `${name}.monthly`)}`);
  const inputs = grid ? all(grid, "input[name]") : [];
  if (!inputs.length || inputs.some((input) => input.value.trim() !== "")) return;
  let rows;
  try {
    rows = JSON.parse(q(root, "#kz-result")?.textContent || "{}").rows ?? [];
  } catch {
    return;
  }
  const byMonth = new Map(rows.map((row) => [row.month, row.accruals?.[accrual]]));
  for (const input of inputs) {
    const value = byMonth.get(input.name.slice(`${name}.monthly.`.length));
    if (value !== undefined) input.value = String(value);
  }
}

// ---------------------------------------------------------------------------------------------
// Collection and payment terms: a preset writes hidden inputs; 「自分で指定する」 shows rows.
// The rows each preset stands for are the box's data-kz-preset-rows (ForecastForm.preset_rows), and
// which preset a loaded request's rows match is the worker's (ForecastForm.terms_state, in layout):
// until it answers, loaded rows show as 「自分で指定する」. 「一部は現金」's box is the first row's
// share itself; the rest, the second row, is Python's for the share in the box (the worker's
// layout, terms[…].mixed): the widget only writes it.

// The rows of terms that ``inputs`` of the box hold: [[months_after, share], …], ``blank`` for a
// part a row has no input for.
function readTerms(box, inputs, blank) {
  const prefix = box.dataset.kzTerms;
  const found = [];
  for (const input of inputs) {
    const match = /^\[(\d+)\]\.(months_after|share)$/.exec(input.name.slice(prefix.length));
    if (!match) continue;
    const row = (found[Number(match[1])] ??= [blank, blank]);
    row[match[2] === "share" ? 1 : 0] = input.value;
  }
  return found.filter(Boolean);
}

// The rows the inputs of the box that are shown hold now.
function termRows(box) {
  return readTerms(box, all(box, "[name]").filter((input) => !input.closest("[hidden]")), "");
}

// The hidden rows as written (null: a part written by the box's own input).
function hiddenRows(box) {
  return readTerms(box, all(q(box, "[data-kz-terms-hidden]"), "input[name]"), null);
}

function writeHiddenTerms(box, rows) {
  const prefix = box.dataset.kzTerms;
  const holder = q(box, "[data-kz-terms-hidden]");
  holder.replaceChildren(
    ...rows.flatMap(([months, share], index) =>
      [
        ["months_after", months],
        ["share", share],
      ]
        .filter(([, value]) => value !== null)
        .map(([key, value]) => {
          const input = document.createElement("input");
          input.type = "hidden";
          input.name = `${prefix}[${index}].${key}`;
          input.value = value;
          return input;
        }),
    ),
  );
}

function presetRows(box, preset) {
  return JSON.parse(box.dataset.kzPresetRows)[preset] ?? [];
}

// 「一部は現金」 starts from the rows of its default share (the box's build-time value) until the
// worker gives those of the share in the box.
function applyPreset(form, box, { keepRows = false } = {}) {
  const preset = q(box, "[data-kz-preset]").value;
  const prefix = box.dataset.kzTerms;
  const current = termRows(box);
  q(box, "[data-kz-cash-box]").hidden = preset !== "mixed";
  q(box, "[data-kz-custom-box]").hidden = preset !== "custom";
  if (keepRows) return;
  if (preset === "custom") {
    writeHiddenTerms(box, []);
    const rows = current.length ? current : presetRows(box, "custom");
    setRowCount(form, prefix, rows.length);
    rowsOf(listOf(form, prefix)).forEach((row, index) => {
      q(row, "select").value = normalise(rows[index][0]);
      q(row, "input[type=text]").value = rows[index][1] ?? "";
    });
  } else {
    setRowCount(form, prefix, 0);
    const cash = /** @type {HTMLInputElement} */ (q(box, "[data-kz-cash]"));
    if (preset === "mixed" && !cash.value.trim()) cash.value = cash.defaultValue;
    writeHiddenTerms(box, presetRows(box, preset));
  }
}

/**
 * The worker's reading of the terms (ForecastForm.terms_state): after a load, the preset the rows
 * match and the share of 「一部は現金」's box; and always, while 「一部は現金」 is chosen, the rows
 * Python gives for the share in the box (an answer for an older share is left: a newer one follows).
 * Returns whether the form changed.
 */
function applyTerms(form, terms, pending) {
  let changed = false;
  for (const box of all(form, "[data-kz-terms]")) {
    const found = terms?.[box.dataset.kzTerms];
    if (!found) continue;
    const select = q(box, "[data-kz-preset]");
    const cash = q(box, "[data-kz-cash]");
    if (pending) {
      cash.value = found.cash;
      if (select.value === "custom" && found.preset !== "custom") {
        select.value = found.preset;
        applyPreset(form, box);
        changed = true;
      }
    }
    const mixed = found.mixed;
    if (select.value !== "mixed" || !mixed || mixed.cash !== cash.value.trim()) continue;
    if (JSON.stringify(hiddenRows(box)) === JSON.stringify(mixed.rows)) continue;
    writeHiddenTerms(box, mixed.rows);
    changed = true;
  }
  return changed;
}

// ---------------------------------------------------------------------------------------------
// Actuals: the first N months of the table, a few lines each

function actualLabels(form) {
  const box = q(form, "[data-kz-actual-labels]");
  return box ? JSON.parse(box.dataset.kzActualLabels) : {};
}

// The lines each month box holds now ("actuals.2026-04.rent" → 2026-04: [rent]), so that a box
// laid out again (new months, or their labels) keeps the lines a loaded file gave it.
function actualLines(holder) {
  const lines = {};
  for (const input of all(holder, "input[name]")) {
    const [, month, line] = input.name.split(".");
    if (month && line) (lines[month] ??= []).push(line);
  }
  return lines;
}

function syncActuals(form, count, { extras = {}, force = false } = {}) {
  const holder = q(form, "[data-kz-actual-months]");
  if (!holder) return;
  const { horizon } = stateOf(form);
  const wanted = horizon.slice(0, count);
  const have = all(holder, ":scope > [data-kz-actual-month]").map((box) => box.dataset.kzActualMonth);
  const labels = actualLabels(form);
  const needsExtras = Object.keys(extras).length > 0;
  if (force || have.join() !== wanted.join() || needsExtras) {
    const kept = needsExtras ? {} : actualLines(holder); // a loaded request gives all its lines
    rememberValues(form, holder);
    const { cache } = stateOf(form);
    holder.replaceChildren(
      ...wanted.map((key) => {
        const box = instantiate(form, "actual-month", [
          ["__M__", key],
          ["__L__", label(form, key)],
        ]);
        for (const extra of [...(kept[key] ?? []), ...(extras[key] ?? [])]) {
          if (q(box, `[name="${CSS.escape(`actuals.${key}.${extra}`)}"]`)) continue;
          box.append(
            instantiate(form, "actual-extra", [
              ["__M__", key],
              ["__KL__", labels[extra] ?? extra],
              ["__K__", extra],
            ]),
          );
        }
        for (const input of all(box, "input[name]")) input.value = cache.get(input.name) ?? "";
        return box;
      }),
    );
  }
  // 「0（実績を入れない）」 stays; each month is the template "actual-count" (up to that month).
  const select = q(form, "[data-kz-actual-count]");
  const none = [...select.options].find((option) => option.value === "0");
  const options = horizon.map((key, i) =>
    instantiate(form, "actual-count", [
      ["__N__", String(i + 1)],
      ["__L__", label(form, key)],
    ]),
  );
  select.replaceChildren(...(none ? [none] : []), ...options);
  select.value = String(Math.min(count, horizon.length));
}

// ---------------------------------------------------------------------------------------------
// The table's months changed: rebuild everything that lists months

// The same calendar month inside the new table (2026-07 → 2027-07), or null if the table has none.
function sameMonthIn(horizon, key) {
  const month = key.slice(5);
  return horizon.find((candidate) => candidate.slice(5) === month) ?? null;
}

// When 開始の年月 moves, dated entries (賞与の月, 税金, 設備投資 …) that fall outside the new table
// move to the same calendar month inside it; those with no such month are listed. Returns the
// sentence that says so, or "" when nothing had to move.
function moveDatedEntries(form, horizon) {
  const moved = [];
  const left = [];
  for (const select of all(form, "select[data-kz-months]")) {
    const key = select.value;
    if (!key || horizon.includes(key)) continue;
    const target = sameMonthIn(horizon, key);
    const field = select.closest("[data-kz-field]")?.querySelector("label")?.textContent?.trim() ?? select.name;
    if (target) {
      fillMonthOptions(form, select, horizon, { empty: true });
      select.value = target;
      moved.push(field);
    } else {
      left.push(field);
    }
  }
  for (const list of all(form, "[data-kz-keyed]")) {
    for (const row of keyedRows(list)) {
      const key = keyOfRow(row);
      if (horizon.includes(key)) continue;
      const target = sameMonthIn(horizon, key);
      const taken = keyedRows(list).map(keyOfRow);
      if (target && !taken.includes(target)) {
        renameKeyedRow(form, row, target);
        moved.push(`${label(form, key)}の金額`);
      } else {
        left.push(`${label(form, key)}の金額`);
      }
    }
  }
  const parts = [];
  if (moved.length) parts.push(`開始の年月に合わせて、${[...new Set(moved)].join("・")}を新しい期間の同じ月に移しました。`);
  if (left.length) parts.push(`${[...new Set(left)].join("・")}は新しい期間に同じ月がないため、そのままです（選び直してください）。`);
  return parts.join("");
}

function sayMoved(root, state) {
  const box = root.querySelector("#kz-action-status");
  if (box && state.moved) box.textContent = state.moved;
}

function rebuild(form, horizon, { force = false } = {}) {
  const state = stateOf(form);
  if (!horizon || (!force && horizon.join() === state.horizon.join())) return false;
  state.horizon = horizon;
  state.moved = moveDatedEntries(form, horizon);
  for (const grid of all(form, "[data-kz-grid]")) {
    if (grid.closest("[hidden]") && !q(grid, "input")) continue; // built when shown
    syncGrid(form, grid);
  }
  refreshMonthSelects(form);
  const count = all(form, "[data-kz-actual-months] > [data-kz-actual-month]").length;
  syncActuals(form, count);
  return true;
}

// Months shown by their keys got their labels: everything that shows a month is laid out again
// (the same months and inputs, the values kept).
function relabel(form) {
  const state = stateOf(form);
  state.unlabelled.clear();
  for (const grid of all(form, "[data-kz-grid]")) {
    if (q(grid, "input")) syncGrid(form, grid, gridKeys(grid), { force: true });
  }
  refreshMonthSelects(form);
  const count = all(form, "[data-kz-actual-months] > [data-kz-actual-month]").length;
  syncActuals(form, count, { force: true });
}

// The layout's labels, kept for every month Python has named; whether a month shown by its key
// has one now.
function learnLabels(form, labels) {
  const state = stateOf(form);
  for (const [key, text] of Object.entries(labels ?? {})) state.labels.set(key, String(text));
  return [...state.unlabelled].some((key) => state.labels.has(key));
}

// ---------------------------------------------------------------------------------------------
// Entry points called by app.mjs

// What a chosen option changes: the blocks of a mode, a preset's rows, a keyed row's month, the
// number of 実績 months, a loan's schedule grid.
function onChange(form, root, event) {
  const target = event.target;
  if (target === form) return;
  if (target.matches("[data-kz-mode]")) {
    applyMode(form, target);
    if (target.value === "monthly") prefillMonthly(form, target.dataset.kzMode, root);
  }
  if (target.matches("[data-kz-preset]")) applyPreset(form, target.closest("[data-kz-terms]"));
  if (target.matches("[data-kz-month-key]")) {
    const row = target.closest("[data-kz-keyed-row]");
    refreshKeyed(form, renameKeyedRow(form, row, target.value));
  }
  if (target.matches("[data-kz-actual-count]")) syncActuals(form, Number(target.value));
  if (target.matches("select[name$='.method']")) {
    for (const grid of all(target.closest("[data-kz-row]"), "[data-kz-grid]")) syncGrid(form, grid);
  }
}

// A keyed row for the first month of the table that has none yet (人件費 of a different month).
function addFreeMonth(form, listName) {
  const list = q(form, `[data-kz-keyed]${attr("data-kz-keyed", listName)}`);
  const used = keyedRows(list).map(keyOfRow);
  const key = stateOf(form).horizon.find((month) => !used.includes(month));
  if (key) q(addKeyedRow(form, list, key), "select")?.focus();
}

function removeMonth(form, row) {
  const list = row.parentElement;
  row.remove();
  refreshKeyed(form, list);
  q(list.closest("[data-kz-recurring]"), "button[data-kz-add-month]")?.focus();
}

// The add and remove buttons of the row lists and keyed rows.
function onClick(form, event) {
  const button = event.target.closest?.("button");
  if (!button || !form.contains(button)) return;
  if (button.dataset.kzAdd) q(addRow(form, button.dataset.kzAdd), "input, select")?.focus();
  else if (button.hasAttribute("data-kz-remove")) removeRow(form, button.closest("[data-kz-row]"));
  else if (button.dataset.kzAddMonth) addFreeMonth(form, button.dataset.kzAddMonth);
  else if (button.hasAttribute("data-kz-remove-month")) removeMonth(form, button.closest("[data-kz-keyed-row]"));
  else return;
  notify(form);
}

// A message inside a closed <details> (季節による増減) would not be seen: open it.
function openDetailsWithErrors(form) {
  const observer = new MutationObserver((records) => {
    for (const record of records) {
      const slot = /** @type {HTMLElement} */ (record.target);
      const details = slot.closest("details");
      if (details && !slot.hidden) details.open = true;
    }
  });
  for (const slot of all(form, "details .kz-error")) observer.observe(slot, { attributes: true, attributeFilter: ["hidden"] });
}

export function setup(ctx) {
  const { form, root } = ctx;
  stateOf(form).horizon = ctx.layout?.months ?? [];
  learnLabels(form, ctx.layout?.labels);
  for (const list of all(form, "[data-kz-keyed]")) refreshKeyed(form, list);
  for (const grid of all(form, "[data-kz-grid]")) if (!grid.closest("[hidden]")) syncGrid(form, grid);
  form.addEventListener("change", (event) => onChange(form, root, event));
  form.addEventListener("click", (event) => onClick(form, event));
  form.addEventListener("paste", onPaste);
  openDetailsWithErrors(form);
}

/**
 * The worker's layout for the request it just computed (ForecastForm.layout): when the table's
 * months changed (開始の年月 or 月数), every grid, month select and 実績 box follows, and dated
 * entries outside the new months move (the sentence that says so goes to the action status); the
 * terms follow Python's reading (applyTerms), and months shown by their keys get their labels.
 * Returns whether the form's request changed, so that app.mjs computes again.
 */
export function layout(ctx, next) {
  const { form } = ctx;
  const state = stateOf(form);
  const learned = learnLabels(form, next?.labels);
  const terms = applyTerms(form, next?.terms, state.termsPending);
  state.termsPending = false;
  const months = next?.months;
  if (Array.isArray(months) && months.length && rebuild(form, months)) {
    sayMoved(ctx.root, state);
    return true;
  }
  if (learned) relabel(form);
  return terms;
}

// The keys of a loaded request, with the lookups prepare() needs.
function requestKeys(flat) {
  const keys = Object.keys(flat);
  const under = (prefix) => keys.filter((key) => key.startsWith(prefix));
  return {
    keys,
    under,
    monthsUnder: (prefix) => under(`${prefix}.`).map((key) => key.slice(prefix.length + 1)).filter((k) => !k.includes(".")),
    indices: (prefix) => {
      const found = under(`${prefix}[`).map((key) => Number(/^\[(\d+)\]/.exec(key.slice(prefix.length))?.[1]));
      return found.length ? Math.max(...found) + 1 : 0;
    },
  };
}

// A seasonality given as a list of 12 is shown in the 1月…12月 inputs.
function seasonalityAsMonths(flat, { under }) {
  for (const key of under("sales.seasonality[")) {
    const index = Number(/\[(\d+)\]$/.exec(key)?.[1]);
    if (index >= 12) continue;
    flat[`sales.seasonality.${index + 1}`] = flat[key];
    delete flat[key];
  }
}

// Terms: as rows until the worker says which preset they match (layout()); 「一部は現金」's box
// takes the request's first share with the other inputs, and the worker's reading then.
function prepareTerms(form, { indices }) {
  for (const box of all(form, "[data-kz-terms]")) {
    const prefix = box.dataset.kzTerms;
    const count = indices(prefix);
    q(box, "[data-kz-preset]").value = count ? "custom" : "cash";
    applyPreset(form, box, { keepRows: true });
    writeHiddenTerms(box, []);
    setRowCount(form, prefix, count);
  }
  stateOf(form).termsPending = true;
}

// The row lists (every [data-kz-list] but the terms' rows), with the month grids of their rows (a
// loan's schedule: any month the request has outside the table too, so that kaizen_core's
// message shows).
function prepareLists(form, { indices, monthsUnder }) {
  for (const list of all(form, "[data-kz-list]")) {
    if (list.closest("[data-kz-terms]")) continue;
    setRowCount(form, list.dataset.kzList, indices(list.dataset.kzList));
    for (const row of rowsOf(list)) {
      for (const grid of all(row, "[data-kz-grid]")) syncGrid(form, grid, monthsUnder(grid.dataset.kzGrid));
    }
  }
  refreshMonthSelects(form);
}

// Recurring amounts with months of a different amount.
function prepareRecurring(form, flat, { monthsUnder }) {
  for (const box of all(form, "[data-kz-recurring]")) {
    const key = box.dataset.kzRecurring;
    const list = q(box, "[data-kz-keyed]");
    keyedRows(list).forEach((row) => row.remove());
    for (const month of monthsUnder(`${key}.months`)) addKeyedRow(form, list, month);
    const input = q(box, `input[name="${key}"], input${attr("name", `${key}.amount`)}`);
    const name = `${key}.amount` in flat || keyedRows(list).length ? `${key}.amount` : key;
    input.name = name;
    input.closest("[data-kz-field]").dataset.kzField = name;
  }
}

// Actuals: up to the last month that has any, with the lines outside the usual ones.
function prepareActuals(form, horizon, { under }) {
  const actualMonths = new Map();
  for (const key of under("actuals.")) {
    const [, month, line] = key.split(".");
    if (!line) continue;
    if (!actualMonths.has(month)) actualMonths.set(month, []);
    actualMonths.get(month).push(line);
  }
  const last = Math.max(-1, ...[...actualMonths.keys()].map((month) => horizon.indexOf(month)));
  syncActuals(form, last + 1, { extras: Object.fromEntries(actualMonths) });
}

/** Before a request (share link, autosave, file) fills the form: make an input for every path. */
export function prepare(ctx, flat) {
  const { form } = ctx;
  const state = stateOf(form);
  state.cache.clear();
  const request = requestKeys(flat);
  const named = monthsNamed(form, flat);
  if (named && !named.every((key) => state.horizon.includes(key))) state.horizon = named;
  seasonalityAsMonths(flat, request);
  prepareModes(form, request);
  for (const grid of all(form, "[data-kz-grid]")) {
    if (grid.closest("[data-kz-row]")) continue; // loan schedules: with their rows
    syncGrid(form, grid, request.monthsUnder(grid.dataset.kzGrid));
  }
  prepareTerms(form, request);
  prepareLists(form, request);
  prepareRecurring(form, flat, request);
  prepareActuals(form, state.horizon, request);
}
