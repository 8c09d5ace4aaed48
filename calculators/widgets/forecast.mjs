// 資金繰り表 (forecast): the dynamic parts of the form.
//
// Every input's name is its path in the request (loans[1].balance, sales.monthly.2026-04), so this
// file only creates, renames, renumbers and removes inputs; kaizen_core reads and checks them all.
// No rules here: a preset such as 「月末締め・翌月末」 just writes the rows it stands for, and the
// month lists follow the table's months as Python reads them from 開始の年月 and 月数
// (calculators/forecast.py ForecastForm.layout: in the form's data-kz-layout at build time, then
// with every answer of the worker, layout() below; kaizen_core reports a start it cannot read).
// Rows and month cells are cloned from <template> elements rendered by the build
// (calculators/templates/widgets/forecast_*.html) with the tokens __I__ __N__ __M__ __L__ __P__.

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

/** "2026-04" → the month index (year × 12 + month − 1); the keys are the form's own, YYYY-MM. */
function monthIndex(key) {
  return Number(key.slice(0, 4)) * 12 + Number(key.slice(5, 7)) - 1;
}

function monthKey(index) {
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
}

export function monthLabel(key) {
  const match = /^(\d{4})-(\d{2})$/.exec(key);
  return match ? `${Number(match[1])}年${Number(match[2])}月` : key;
}

// Before Python has answered, a request loaded from a link, storage or a file is laid out over the
// months its own keys name (the first to the last, at most MAX_MONTHS); the worker's layout then
// gives the table's real months.
const MAX_MONTHS = 120;
const MONTH_IN_KEY = /(?:^|\.)((?:19|20|21)\d{2}-(?:0[1-9]|1[0-2]))(?:\.|$)/;

function monthsNamed(flat) {
  const found = [];
  for (const [key, value] of Object.entries(flat)) {
    const inKey = MONTH_IN_KEY.exec(key)?.[1];
    if (inKey) found.push(monthIndex(inKey));
    if (key.endsWith(".month") && MONTH_IN_KEY.test(String(value))) found.push(monthIndex(String(value)));
  }
  if (!found.length) return null;
  const first = Math.min(...found);
  const count = Math.min(Math.max(...found) - first + 1, MAX_MONTHS);
  return Array.from({ length: count }, (_, i) => monthKey(first + i));
}

function domId(name) {
  return "kz-f-" + name.replace(/[^0-9A-Za-z_-]/g, "-");
}

// ---------------------------------------------------------------------------------------------
// Small DOM helpers

function stateOf(form) {
  let state = STATE.get(form);
  if (!state) {
    state = { horizon: [], cache: new Map() };
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

function syncGrid(form, grid, extra = []) {
  const prefix = grid.dataset.kzGrid;
  const wanted = gridMonths(form, grid, extra);
  const cells = all(grid, ":scope > [data-kz-field]");
  const have = cells.map((cell) => cell.dataset.kzField.slice(prefix.length + 1));
  if (have.join() === wanted.join()) return;
  rememberValues(form, grid);
  const { cache } = stateOf(form);
  grid.replaceChildren(
    ...wanted.map((key) => {
      const cell = instantiate(form, "month-cell", [
        [`kz-f-__P__`, domId(prefix)],
        ["__P__", prefix],
        ["__M__", key],
        ["__L__", monthLabel(key)],
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

function fillMonthOptions(select, months, { empty }) {
  const current = select.value;
  const options = [];
  if (empty) options.push(new Option("（選んでください）", ""));
  for (const key of months) options.push(new Option(monthLabel(key), key));
  if (current && !months.includes(current)) options.push(new Option(`${monthLabel(current)}（表の期間外）`, current));
  select.replaceChildren(...options);
  select.value = current;
}

function refreshMonthSelects(form, root = form) {
  const { horizon } = stateOf(form);
  for (const select of all(root, "select[data-kz-months]")) fillMonthOptions(select, horizon, { empty: true });
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

function renumber(row, name, from, to) {
  replaceInAttributes(row, [
    [`${name}[${from}]`, `${name}[${to}]`],
    [`${domId(name)}-${from}-`, `${domId(name)}-${to}-`],
  ]);
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
  for (let i = at; i < rows.length; i += 1) renumber(rows[i], name, i + 1, i);
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
    fillMonthOptions(select, horizon.includes(own) ? horizon : [...horizon, own], { empty: false });
    select.value = own;
    for (const option of select.options) option.disabled = option.value !== own && used.includes(option.value);
  }
  syncRecurringName(list);
}

function renameKeyedRow(row, key) {
  const list = row.parentElement;
  const old = keyOfRow(row);
  replaceInAttributes(row, [[`.${old}`, `.${key}`], [`-${old}`, `-${key}`]]);
  const button = q(row, "[data-kz-aria-label]");
  button.setAttribute("aria-label", button.dataset.kzAriaLabel.replace("{label}", monthLabel(key)));
  return list;
}

function addKeyedRow(form, list, key) {
  const row = instantiate(form, list.dataset.kzKeyed, [
    ["__M__", key],
    ["__L__", monthLabel(key)],
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
// until it answers, loaded rows show as 「自分で指定する」.

// "30%" → ["30%", "70%"]. Anything else is passed on as typed for kaizen_core to report, with no
// second share (its message then names the field).
function mixedShares(text) {
  const typed = normalise(text).replace(/\s/g, "");
  const body = typed.replace(/%$/, "");
  if (!/^\d{1,3}(\.\d{1,4})?$/.test(body) || Number(body) > 100) return [typed, null];
  const rest = (1_000_000 - Math.round(Number(body) * 10_000)) / 10_000;
  return [`${body}%`, `${rest}%`];
}

function termRows(box) {
  const prefix = box.dataset.kzTerms;
  const found = [];
  for (const input of all(box, "[name$='.months_after']")) {
    const index = Number(/\[(\d+)\]\.months_after$/.exec(input.name)?.[1]);
    const share = q(box, `[name="${CSS.escape(`${prefix}[${index}].share`)}"]`);
    found[index] = [input.value, share?.value ?? ""];
  }
  return found.filter(Boolean);
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
  if (preset === "mixed") {
    const [first, second] = mixedShares(q(box, "[data-kz-cash]").value);
    return [
      ["0", first],
      ["1", second],
    ];
  }
  return JSON.parse(box.dataset.kzPresetRows)[preset] ?? [];
}

function applyPreset(form, box, { keepRows = false } = {}) {
  const preset = q(box, "[data-kz-preset]").value;
  const prefix = box.dataset.kzTerms;
  q(box, "[data-kz-cash-box]").hidden = preset !== "mixed";
  q(box, "[data-kz-custom-box]").hidden = preset !== "custom";
  if (keepRows) return;
  if (preset === "custom") {
    const current = termRows(box);
    writeHiddenTerms(box, []);
    const rows = current.length ? current : [["0", "100%"]];
    setRowCount(form, prefix, rows.length);
    rowsOf(listOf(form, prefix)).forEach((row, index) => {
      q(row, "select").value = normalise(rows[index][0]);
      q(row, "input[type=text]").value = rows[index][1];
    });
  } else {
    setRowCount(form, prefix, 0);
    if (preset === "mixed" && !q(box, "[data-kz-cash]").value.trim()) q(box, "[data-kz-cash]").value = "30%";
    writeHiddenTerms(box, presetRows(box, preset));
  }
}

// ---------------------------------------------------------------------------------------------
// Actuals: the first N months of the table, a few lines each

function actualLabels(form) {
  const box = q(form, "[data-kz-actual-labels]");
  return box ? JSON.parse(box.dataset.kzActualLabels) : {};
}

function syncActuals(form, count, extras = {}) {
  const holder = q(form, "[data-kz-actual-months]");
  if (!holder) return;
  const { horizon } = stateOf(form);
  const wanted = horizon.slice(0, count);
  const have = all(holder, ":scope > [data-kz-actual-month]").map((box) => box.dataset.kzActualMonth);
  const labels = actualLabels(form);
  const needsExtras = Object.keys(extras).length > 0;
  if (have.join() !== wanted.join() || needsExtras) {
    rememberValues(form, holder);
    const { cache } = stateOf(form);
    holder.replaceChildren(
      ...wanted.map((key) => {
        const box = instantiate(form, "actual-month", [
          ["__M__", key],
          ["__L__", monthLabel(key)],
        ]);
        for (const extra of extras[key] ?? []) {
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
  const select = q(form, "[data-kz-actual-count]");
  const options = horizon.map((key, i) =>
    new Option(`${i + 1}か月（${monthLabel(horizon[0])}${i ? `〜${monthLabel(key)}` : ""}）`, String(i + 1)),
  );
  select.replaceChildren(new Option("0（実績を入れない）", "0"), ...options);
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
    const label = select.closest("[data-kz-field]")?.querySelector("label")?.textContent?.trim() ?? select.name;
    if (target) {
      fillMonthOptions(select, horizon, { empty: true });
      select.value = target;
      moved.push(label);
    } else {
      left.push(label);
    }
  }
  for (const list of all(form, "[data-kz-keyed]")) {
    for (const row of keyedRows(list)) {
      const key = keyOfRow(row);
      if (horizon.includes(key)) continue;
      const target = sameMonthIn(horizon, key);
      const taken = keyedRows(list).map(keyOfRow);
      if (target && !taken.includes(target)) {
        renameKeyedRow(row, target);
        moved.push(`${monthLabel(key)}の金額`);
      } else {
        left.push(`${monthLabel(key)}の金額`);
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

// ---------------------------------------------------------------------------------------------
// Entry points called by app.mjs

// What a typed value changes at once: the mixed preset's hidden shares follow its cash share.
function onInput(form, event) {
  const target = event.target;
  if (target === form || !target.matches("[data-kz-cash]")) return;
  const box = target.closest("[data-kz-terms]");
  writeHiddenTerms(box, presetRows(box, "mixed"));
}

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
    refreshKeyed(form, renameKeyedRow(row, target.value));
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
  for (const list of all(form, "[data-kz-keyed]")) refreshKeyed(form, list);
  for (const grid of all(form, "[data-kz-grid]")) if (!grid.closest("[hidden]")) syncGrid(form, grid);
  form.addEventListener("input", (event) => onInput(form, event));
  form.addEventListener("change", (event) => onChange(form, root, event));
  form.addEventListener("click", (event) => onClick(form, event));
  form.addEventListener("paste", onPaste);
  openDetailsWithErrors(form);
}

/**
 * The worker's layout for the request it just computed (ForecastForm.layout): when the table's
 * months changed (開始の年月 or 月数), every grid, month select and 実績 box follows, and dated
 * entries outside the new months move (the sentence that says so goes to the action status).
 * Returns whether the form changed, so that app.mjs computes again.
 */
export function layout(ctx, next) {
  const state = stateOf(ctx.form);
  const presets = state.termsPending && next?.terms ? showPresets(ctx.form, next.terms) : false;
  state.termsPending = false;
  const months = next?.months;
  if (!Array.isArray(months) || !months.length) return presets; // a start kaizen_core cannot read
  if (!rebuild(ctx.form, months)) return presets;
  sayMoved(ctx.root, state);
  return true;
}

// A loaded request's terms, shown as rows so far, as the preset they match (from the worker).
function showPresets(form, terms) {
  let changed = false;
  for (const box of all(form, "[data-kz-terms]")) {
    const { preset, cash } = terms[box.dataset.kzTerms] ?? { preset: "cash", cash: "" };
    const select = q(box, "[data-kz-preset]");
    if (preset === "custom" || select.value !== "custom") continue;
    select.value = preset;
    q(box, "[data-kz-cash]").value = cash;
    applyPreset(form, box);
    changed = true;
  }
  return changed;
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

// How sales, purchases and outsourcing are given, from the keys the request uses.
function prepareModes(form, { keys, under }) {
  q(form, "[data-kz-mode=sales]").value = under("sales.monthly.").length ? "monthly" : "base";
  for (const name of ["purchases", "outsourcing"]) {
    const has = (part) => keys.some((key) => key === `${name}.${part}` || key.startsWith(`${name}.${part}.`));
    q(form, `[data-kz-mode=${name}]`).value = has("share_of_sales") ? "share" : has("amount") ? "amount" : has("monthly") ? "monthly" : "none";
  }
  for (const select of all(form, "[data-kz-mode]")) applyMode(form, select);
}

// Terms: as rows until the worker says which preset they match (layout()).
function prepareTerms(form, { indices }) {
  for (const box of all(form, "[data-kz-terms]")) {
    const prefix = box.dataset.kzTerms;
    const count = indices(prefix);
    q(box, "[data-kz-preset]").value = count ? "custom" : "cash";
    q(box, "[data-kz-cash]").value = "";
    applyPreset(form, box, { keepRows: true });
    writeHiddenTerms(box, []);
    setRowCount(form, prefix, count);
  }
  stateOf(form).termsPending = true;
}

// The row lists, with each loan's schedule grid (any month the request has outside the table too,
// so that kaizen_core's message shows).
function prepareLists(form, { indices, monthsUnder }) {
  for (const name of ["taxes", "capex", "asset_sales", "other_income", "other_payments", "loans"]) {
    setRowCount(form, name, indices(name));
  }
  for (const row of rowsOf(listOf(form, "loans"))) {
    for (const grid of all(row, "[data-kz-grid]")) syncGrid(form, grid, monthsUnder(grid.dataset.kzGrid));
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
  syncActuals(form, last + 1, Object.fromEntries(actualMonths));
}

/** Before a request (share link, autosave, file) fills the form: make an input for every path. */
export function prepare(ctx, flat) {
  const { form } = ctx;
  const state = stateOf(form);
  state.cache.clear();
  const request = requestKeys(flat);
  const named = monthsNamed(flat);
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
