// 業況悪化（5%）判定 — the monthly sales grid and the three margin methods.
//
// Grid: rows are calendar years (oldest first), columns 1月〜12月, input names "sales.YYYY-MM".
// The rows follow 最近の月 and the cause (how many years each cause compares comes from the page,
// rendered from kaizen_core's parameters); a year that holds a typed value is never dropped.
// Pasting cells copied from Excel (tab- and newline-separated) fills rightwards and downwards.
// Margins: only a method with a typed figure gets request names, numbered margins[0], margins[1] …
// in method order, so kaizen_core's error paths land beside the right input. No rules here.

import { currentMonth, parseMonth as monthIndex } from "./months.mjs";

const states = new WeakMap();

// 最近の月 however it is typed (2022年9月, 令和4年9月, 2022-09): the grid follows it.
function parseMonth(text) {
  const index = monthIndex(text);
  return index === null ? null : { year: Math.floor(index / 12), month: (index % 12) + 1 };
}

function monthKey(year, month) {
  return `${year}-${String(month).padStart(2, "0")}`;
}

function readJson(node, fallback) {
  try {
    return node ? JSON.parse(node.dataset?.kzGrid ?? node.textContent) : fallback;
  } catch {
    return fallback;
  }
}

// ---------------------------------------------------------------------------------------------
// The sales grid

function gridValues(grid) {
  const values = new Map();
  for (const input of grid.querySelectorAll("tbody input")) {
    const text = input.value.trim();
    if (text !== "") values.set(input.name.slice("sales.".length), input.value);
  }
  return values;
}

function latestMonth(text, values) {
  const typed = parseMonth(text);
  if (typed) return typed;
  const keys = [...values.keys()].filter((key) => /^\d{4}-\d{2}$/.test(key)).sort();
  if (keys.length) {
    const [year, month] = keys.at(-1).split("-").map(Number);
    return { year, month };
  }
  const now = currentMonth();
  return { year: Math.floor(now / 12), month: (now % 12) + 1 };
}

function chooseYears(state, cause, latest, values) {
  const { rows: byCause = {}, max = 5, span = 6 } = state.settings;
  let rows = state.expanded ? max : (byCause[cause] ?? max);
  if (!state.expanded && latest.month < span && rows < max) rows += 1; // the average reaches back a year
  const years = new Set();
  for (let offset = 0; offset < rows; offset += 1) years.add(latest.year - offset);
  for (const key of values.keys()) {
    const year = Number(key.slice(0, 4));
    if (Number.isInteger(year)) years.add(year);
  }
  return [...years].sort((a, b) => a - b);
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

function rebuild(state, values = gridValues(state.grid), latestText = null, cause = null) {
  const form = state.form;
  const latest = latestMonth(latestText ?? form.elements.namedItem("latest_month")?.value, values);
  const years = chooseYears(state, cause ?? form.elements.namedItem("cause")?.value ?? "", latest, values);
  const body = state.grid.querySelector("[data-kz-grid-body]");
  const shown = [...body.rows].map((row) => Number(row.dataset.year));
  if (shown.join() === years.join()) {
    for (const input of body.querySelectorAll("input")) input.value = values.get(input.name.slice(6)) ?? "";
    return;
  }
  body.replaceChildren(...years.map((year) => yearRow(year, values)));
}

function say(state, text) {
  const box = state.grid.querySelector("[data-kz-grid-status]");
  if (box) box.textContent = text;
}

function onPaste(state, event) {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || !input.name.startsWith("sales.")) return;
  const text = (event.clipboardData?.getData("text/plain") ?? "").replace(/\r\n?/g, "\n").replace(/\n+$/, "");
  if (!/[\t\n]/.test(text)) return; // one value: the browser pastes it as usual
  event.preventDefault();
  const rows = [...state.grid.querySelectorAll("[data-kz-grid-body] tr")];
  const first = rows.indexOf(input.closest("tr"));
  const column = [...input.closest("tr").querySelectorAll("input")].indexOf(input);
  let placed = 0;
  let left = 0;
  text.split("\n").forEach((line, down) => {
    const targets = rows[first + down]?.querySelectorAll("input");
    line.split("\t").forEach((value, right) => {
      const target = targets?.[column + right];
      if (target) {
        target.value = value.trim();
        placed += 1;
      } else if (value.trim() !== "") {
        left += 1;
      }
    });
  });
  let message = `${placed}マスに貼り付けました。`;
  if (left) {
    message += `表からはみ出した${left}個の値は入れていません（上の行から貼り付けるか、「すべて表示」で行を増やしてください）。`;
  }
  say(state, message);
  state.recompute();
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

const METHOD_WORDS = { 1: "1", 2: "2", 3: "3", "①": "1", "②": "2", "③": "3" };

// ---------------------------------------------------------------------------------------------

export function setup(ctx) {
  const grid = ctx.root.querySelector("[data-kz-grid]");
  if (!grid) return;
  const state = {
    form: ctx.form,
    grid,
    settings: readJson(grid, {}),
    expanded: false,
    recompute: ctx.recompute,
  };
  states.set(ctx.form, state);
  const onChange = (event) => {
    const name = event.target?.name;
    if (name === "latest_month" || name === "cause") rebuild(state);
    if (event.target?.closest?.("fieldset[data-kz-method]")) renumber(ctx.form);
  };
  // Registered before the page's own listeners: names and rows are right before the request is read.
  ctx.form.addEventListener("input", onChange);
  ctx.form.addEventListener("change", onChange);
  grid.addEventListener("paste", (event) => onPaste(state, event));
  grid.querySelector("[data-kz-grid-action=expand]")?.addEventListener("click", (event) => {
    state.expanded = !state.expanded;
    const button = event.currentTarget;
    button.setAttribute("aria-pressed", String(state.expanded));
    rebuild(state);
    say(state, state.expanded ? `${state.settings.max ?? ""}年分の行を表示しました。` : "判定に使う年の行だけを表示しました（入力した年は残ります）。");
  });
  grid.querySelector("[data-kz-grid-action=clear]")?.addEventListener("click", () => {
    rebuild(state, new Map());
    say(state, "表の売上高をすべて消しました。");
    state.recompute();
  });
  renumber(ctx.form);
}

export function prepare(ctx, flat) {
  const state = states.get(ctx.form);
  const words = readJson(ctx.root.querySelector("#kz-downturn-vocabulary"), {});
  const cause = String(flat.cause ?? "").trim();
  if (words.cause?.[cause]) flat.cause = words.cause[cause];
  if (state) {
    const values = new Map();
    for (const [name, value] of Object.entries(flat)) {
      const key = name.startsWith("sales.") ? name.slice(6) : null;
      if (key && /^\d{4}-\d{2}$/.test(key) && value !== null && value !== undefined && String(value).trim() !== "") {
        values.set(key, String(value));
      }
    }
    // Only the years around 最近の月 get rows; a month far from it is left out (app.mjs names it).
    const latest = latestMonth(String(flat.latest_month ?? ""), values);
    const reach = (state.settings.max ?? 5) + 2;
    for (const key of [...values.keys()]) {
      const year = Number(key.slice(0, 4));
      if (year < latest.year - reach || year > latest.year + 1) values.delete(key);
    }
    rebuild(state, values, String(flat.latest_month ?? ""), String(flat.cause ?? ""));
    say(state, "");
  }
  const assigned = new Set();
  for (const group of groups(ctx.form)) {
    for (const input of group.querySelectorAll("input[type=text]")) input.value = "";
    setIndex(group, null);
  }
  for (let index = 0; flat[`margins[${index}].method`] !== undefined || index < 3; index += 1) {
    const method = METHOD_WORDS[String(flat[`margins[${index}].method`] ?? "").trim()];
    const group = ctx.form.querySelector(`fieldset[data-kz-method="${method}"]`);
    if (!method || !group || assigned.has(method)) continue;
    assigned.add(method);
    setIndex(group, index);
  }
}
