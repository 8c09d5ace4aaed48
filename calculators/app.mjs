// 経営改善計画策定支援ナビ — the JavaScript side of the tool pages.
//
// Loaded on every page (extra_javascript, type: module) but does work only on a page with
// #kz-tool. It starts ONE Python worker per tab through PyScript (the page never freezes), reads
// the form into a JSON request (field names are request paths), asks kaizen_core for the answer
// and shows it. All rules, parsing, messages and result HTML come from Python; this file only moves
// data between the form and the worker. Nothing is sent anywhere.

const RUNTIME = new URL("./", import.meta.url);
const SITE_ROOT = new URL("../", import.meta.url);
const STORAGE_PREFIX = "kaizen-navi:v1:";
const DEBOUNCE_MS = 120;
const SLOW_COMPUTE_MS = 4_000;
const NO_AUTOSAVE_KEY = `${STORAGE_PREFIX}no-autosave`;
// Share, print, clear and the autosave switch work before Python has started (and if it never does).
const NEEDS_PYTHON = new Set(["upload", "csv", "xlsx"]);

let workerPromise = null;

// ---------------------------------------------------------------------------------------------
// Python worker

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function runtimeInfo() {
  const node = document.getElementById("kz-runtime");
  return node ? JSON.parse(node.textContent) : null;
}

// The worker tag, with its config, is in the <head> of every tool page (overrides/main.html; the
// build fails if a page shows a tool without saying so in its front matter).
function startWorker() {
  workerPromise ??= (async () => {
    const began = performance.now();
    performance.mark("kz-worker-start");
    const tag = document.querySelector('script[type="py"][worker][name="kaizen"]');
    if (!tag) throw new Error("this page has no Python worker tag");
    const { whenDefined } = await import(new URL("pyscript/core.js", RUNTIME).href);
    performance.mark("kz-pyscript-imported");
    await whenDefined("py");
    while (!tag.xworker) await sleep(10);
    performance.mark("kz-worker-created");
    const api = (await tag.xworker.ready).sync;
    performance.mark("kz-worker-ready");
    return { api, bootMs: performance.now() - began };
  })();
  return workerPromise;
}

// ---------------------------------------------------------------------------------------------
// Requests <-> form. A field's name is its path in the request: "fees.plan", "loans[0].balance".

const PATH_PART = /([^.[\]]+)|\[(\d+)\]/g;

function pathParts(path) {
  return [...path.matchAll(PATH_PART)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]));
}

export function unflatten(flat) {
  const root = {};
  for (const [path, value] of Object.entries(flat)) {
    const parts = pathParts(path);
    let node = root;
    parts.forEach((part, index) => {
      if (index === parts.length - 1) {
        node[part] = value;
        return;
      }
      const next = parts[index + 1];
      node[part] ??= typeof next === "number" ? [] : {};
      node = node[part];
    });
  }
  return fillHoles(root);
}

// A list index the form did not send (an empty row between filled ones) stays in the request as
// null, as calculators/forms.py unflatten keeps it: kaizen_core then names that row, and the rows
// after it keep their own paths (their errors land beside their own inputs).
function fillHoles(value) {
  if (Array.isArray(value)) return Array.from(value, (item) => (item === undefined ? null : fillHoles(item)));
  if (value && typeof value === "object") {
    for (const key of Object.keys(value)) value[key] = fillHoles(value[key]);
  }
  return value;
}

export function flatten(value, prefix = "", out = Object.create(null)) {
  if (Array.isArray(value)) {
    value.forEach((item, index) => flatten(item, `${prefix}[${index}]`, out));
  } else if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) flatten(item, prefix ? `${prefix}.${key}` : key, out);
  } else {
    out[prefix] = value;
  }
  return out;
}

function isShown(element) {
  return !element.closest("[hidden]");
}

function formToRequest(form) {
  const flat = {};
  for (const element of form.elements) {
    if (!element.name || element.disabled || !isShown(element)) continue;
    if (element.type === "radio") {
      if (element.checked && element.value !== "") flat[element.name] = element.value;
    } else if (element.type === "checkbox") {
      if (element.checked) flat[element.name] = element.value || "true";
    } else if (element.type !== "file") {
      const text = element.value.trim();
      if (text !== "") flat[element.name] = text;
    }
  }
  return unflatten(flat);
}

// Fills the form from a screened flat request (see screen()) and returns the keys that no input
// took: a row index or month the form did not make, or a choice that none of its options has.
function fillForm(context, flat) {
  context.widget?.prepare?.(context, flat);
  const used = new Set();
  for (const element of context.form.elements) {
    if (!element.name || element.type === "file") continue;
    const raw = flat[element.name];
    const text = raw === undefined || raw === null ? "" : String(raw);
    if (element.type === "radio") {
      element.checked = element.value === yesNo(context.form, text);
      if (element.checked || raw === undefined || raw === null || text === "") used.add(element.name);
    } else if (element.type === "checkbox") {
      element.checked = yesNo(context.form, text) === "true";
      used.add(element.name);
    } else if (element.tagName === "SELECT") {
      if (text && ![...element.options].some((option) => option.value === text)) {
        element.add(new Option(text, text)); // kaizen_core then says what the field accepts
      }
      element.value = text;
      used.add(element.name);
    } else {
      element.value = text;
      used.add(element.name);
    }
  }
  applyShowIf(context.form);
  openGivenDetails(context.form, flat);
  return Object.keys(flat).filter((key) => !used.has(key) && flat[key] !== null && flat[key] !== "");
}

// An answer as the form's radio and checkbox values: "true" or "false" for the words kaizen_core
// reads as はい and いいえ (the form's data-kz-yes-no), else the text itself, lower-cased.
/** @param {HTMLFormElement} form @param {string} text */
function yesNo(form, text) {
  const words = JSON.parse(form.dataset.kzYesNo || '{"true": [], "false": []}');
  const lower = text.trim().toLowerCase();
  if (words.true.includes(lower)) return "true";
  if (words.false.includes(lower)) return "false";
  return lower;
}

// <details data-kz-open-when-given='["programme", …]'> (詳しい設定) opens when a loaded request
// gives any of those fields: the template names them once, and also renders the box open.
/** @param {HTMLFormElement} form @param {Record<string, any>} flat */
function openGivenDetails(form, flat) {
  for (const details of form.querySelectorAll("details[data-kz-open-when-given]")) {
    const names = JSON.parse(/** @type {HTMLElement} */ (details).dataset.kzOpenWhenGiven ?? "[]");
    if (names.some((name) => String(flat[name] ?? "").trim() !== "")) /** @type {HTMLDetailsElement} */ (details).open = true;
  }
}

// data-kz-show-if hides a field or section unless its rule holds. The rule comes parsed, as JSON
// written by calculators/forms.py show_if_data(): [[[path, [accepted, …]], …], …] — shown when,
// for any alternative, every path's form value ("" when unanswered) is one of those accepted.
/** @typedef {[string, string[]][][]} ShowIf */

/** @type {Map<string, ShowIf>} */
const SHOW_IF_RULES = new Map(); // by the attribute's text: each distinct rule is parsed once

/** @param {string} text */
function showIfRule(text) {
  let rule = SHOW_IF_RULES.get(text);
  if (rule === undefined) {
    rule = /** @type {ShowIf} */ (JSON.parse(text));
    SHOW_IF_RULES.set(text, rule);
  }
  return rule;
}

/** @param {HTMLFormElement} form */
function applyShowIf(form) {
  const values = formToRequestIgnoringVisibility(form);
  for (const node of form.querySelectorAll("[data-kz-show-if]")) {
    const rule = showIfRule(/** @type {HTMLElement} */ (node).dataset.kzShowIf ?? "[]");
    const shown = rule.some((alternative) => alternative.every(([path, accepted]) => accepted.includes(values[path] ?? "")));
    /** @type {HTMLElement} */ (node).hidden = !shown;
  }
}

function formToRequestIgnoringVisibility(form) {
  const values = {};
  for (const element of form.elements) {
    if (!element.name) continue;
    if (element.type === "radio" || element.type === "checkbox") {
      if (element.checked) values[element.name] = element.value;
    } else {
      values[element.name] = element.value.trim();
    }
  }
  return values;
}

// ---------------------------------------------------------------------------------------------
// Share links (#q=…), autosave, files: what reaches the form from outside
//
// A share link, the saved form and an uploaded file are treated as hostile. Their size, depth and
// number of items are bounded before anything walks them; every key must be one the form can show
// (its own field names, with the row-index and month patterns of its rows and grids: vocabulary());
// values reach inputs only as .value. What cannot be shown is named in a notice, never dropped
// silently, and a link or saved form that cannot be read says so.

const LIMITS = { linkChars: 200_000, savedChars: 200_000, depth: 8, nodes: 5_000, keyChars: 120, valueChars: 2_000 };
const SOURCE_NAMES = { link: "このリンク", saved: "この端末に保存していた入力", file: "このファイル" };

class LoadProblem extends Error {}

function encodeRequest(request) {
  const bytes = new TextEncoder().encode(JSON.stringify(request));
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

// Depth and size without recursion: a link nested thousands of levels deep is refused here.
function checkShape(value) {
  const stack = [[value, 0]];
  let nodes = 0;
  while (stack.length) {
    const [node, depth] = /** @type {[any, number]} */ (stack.pop());
    if (++nodes > LIMITS.nodes) throw new LoadProblem(`項目が多すぎます（${LIMITS.nodes.toLocaleString("ja-JP")}個まで）`);
    if (node === null || typeof node !== "object") continue;
    if (depth >= LIMITS.depth) throw new LoadProblem(`入れ子が深すぎます（${LIMITS.depth}段まで）`);
    for (const item of Object.values(node)) stack.push([item, depth + 1]);
  }
}

export function parseRequestText(text) {
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    throw new LoadProblem("中身を読み取れません（形式が壊れています）");
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new LoadProblem("中身が入力の形（項目と値の組）になっていません");
  }
  checkShape(value);
  return value;
}

export function decodeRequest(text) {
  if (text.length > LIMITS.linkChars) {
    throw new LoadProblem(`長すぎます（${LIMITS.linkChars.toLocaleString("ja-JP")}文字まで）`);
  }
  let json;
  try {
    if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) throw new Error("not base64url");
    const base64 = text.replaceAll("-", "+").replaceAll("_", "/");
    const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
    const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
    json = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new LoadProblem("文字が壊れています（リンクが途中で切れていないか確かめてください）");
  }
  return parseRequestText(json);
}

/** The request in the address's #q= part: {request} or {problem}; both null without one. */
function readLink() {
  if (!location.hash.startsWith("#q=")) return { request: null, problem: null };
  try {
    return { request: decodeRequest(location.hash.slice(3)), problem: null };
  } catch (error) {
    return { request: null, problem: error instanceof LoadProblem ? error.message : "読み取れません" };
  }
}

function storageKey(tool) {
  return STORAGE_PREFIX + tool;
}

function forget(tool) {
  try {
    localStorage.removeItem(storageKey(tool));
    return true;
  } catch {
    return false; // storage disabled: nothing was kept either
  }
}

/** The autosaved request: {request} or {problem} (the unreadable copy is then removed). */
function loadSaved(tool) {
  let text;
  try {
    text = localStorage.getItem(storageKey(tool));
  } catch {
    return { request: null, problem: null }; // storage disabled
  }
  if (!text) return { request: null, problem: null };
  try {
    if (text.length > LIMITS.savedChars) throw new LoadProblem("大きすぎます");
    return { request: parseRequestText(text), problem: null };
  } catch (error) {
    forget(tool);
    return { request: null, problem: error instanceof LoadProblem ? error.message : "読み取れません" };
  }
}

function autosaveWanted() {
  try {
    return localStorage.getItem(NO_AUTOSAVE_KEY) !== "1";
  } catch {
    return false;
  }
}

function save(tool, request) {
  try {
    localStorage.setItem(storageKey(tool), JSON.stringify(request));
  } catch {
    /* storage full or disabled: the page still works, only without autosave */
  }
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

// A field name as a pattern: a concrete row ("loans[1]") or month ("2026-07") stands for any, and
// the tokens of the row and cell <template>s for what they are replaced with. What a row index, a
// month and a line key may be is the form's data-kz-key-tokens (calculators/forms.py KEY_TOKENS,
// the same patterns ToolForm.known uses).
/** @param {string} name @param {Record<string, string>} tokens */
function namePattern(name, tokens) {
  let pattern = escapeRegExp(name)
    .replace(/\\\[\d+\\\]/g, `\\[${tokens.__I__}\\]`)
    .replace(/(?<!\d)\d{4}-\d{2}(?!\d)/g, tokens.__M__);
  for (const [token, replacement] of Object.entries(tokens)) pattern = pattern.split(token).join(replacement);
  return pattern;
}

/** Every request key the form can show: its inputs' names, its templates', and the widget's aliases. */
function vocabulary(context) {
  if (context.vocabulary) return context.vocabulary;
  const names = new Set(context.widget?.aliases?.(context.form) ?? []);
  const grids = new Set();
  const scan = (root) => {
    for (const node of root.querySelectorAll("[name]")) names.add(node.getAttribute("name"));
    for (const node of root.querySelectorAll("[data-kz-grid]")) grids.add(node.getAttribute("data-kz-grid"));
    for (const template of root.querySelectorAll("template")) scan(template.content);
  };
  scan(context.form);
  const tokens = JSON.parse(context.form.dataset.kzKeyTokens);
  const patterns = new Set();
  for (const name of names) {
    const expanded = name.includes("__P__") ? [...grids].map((grid) => name.split("__P__").join(grid)) : [name];
    for (const one of expanded) patterns.add(namePattern(one, tokens));
  }
  context.vocabulary = new RegExp(`^(?:${[...patterns].join("|")})$`);
  return context.vocabulary;
}

/** The request's keys the form can take, and those it cannot (never shown, never sent). */
function screen(context, request) {
  const flat = flatten(request);
  const words = vocabulary(context);
  const accepted = Object.create(null);
  const refused = [];
  for (const [key, value] of Object.entries(flat)) {
    if (value === null || value === "") continue; // nothing to show: an unanswered question
    const plain = value === null || ["string", "number", "boolean"].includes(typeof value);
    const short = typeof value !== "string" || value.length <= LIMITS.valueChars;
    if (key.length <= LIMITS.keyChars && words.test(key) && plain && short) accepted[key] = value;
    else refused.push(key);
  }
  return { flat: accepted, refused };
}

function quoted(keys) {
  const shown = keys.slice(0, 8).map((key) => {
    const text = [...key].length > 40 ? `${[...key].slice(0, 40).join("")}…` : key;
    return `「${text}」`;
  });
  const rest = keys.length - shown.length;
  return shown.join("、") + (rest > 0 ? `ほか${rest}項目` : "");
}

/**
 * Puts a request from a link, storage or a file into the form. Returns the notice to show (or null)
 * and the request as far as the form could take it (what a share link computes at first).
 */
function loadRequest(context, request, source) {
  const { flat, refused } = screen(context, request);
  const taken = { ...flat };
  let unused;
  try {
    unused = fillForm(context, flat);
  } catch {
    fillForm(context, screen(context, defaultRequest(context)).flat);
    return { notice: `${SOURCE_NAMES[source]}を入力欄に入れられませんでした。入力例を表示しています。`, request: null };
  }
  for (const key of unused) delete taken[key];
  const skipped = [...refused, ...unused];
  const notice = skipped.length
    ? `${SOURCE_NAMES[source]}の一部の項目は、この画面では扱えません: ${quoted(skipped)}。それ以外の項目を入力欄に入れました。`
    : null;
  return { notice, request: unflatten(taken) };
}

function defaultRequest(context) {
  return JSON.parse(context.root.querySelector("#kz-default").textContent);
}

function showNotice(context, messages) {
  const box = context.root.querySelector("#kz-load-notice");
  if (!box) return;
  const lines = messages.filter(Boolean);
  box.replaceChildren(
    ...lines.map((message) => {
      const line = document.createElement("p");
      line.textContent = message;
      return line;
    }),
  );
  box.hidden = lines.length === 0;
}

// ---------------------------------------------------------------------------------------------
// Showing results and messages

function setStatus(context, text, state) {
  const box = context.root.querySelector("#kz-status");
  if (!box) return;
  box.querySelector(".kz-status__text").textContent = text;
  box.dataset.state = state;
}

// The spinner is switched on the status line only: a class on the whole tool would restyle every
// element of a big form (a long main-thread task on the cash-forecast page).
function busy(root, on) {
  root.querySelector("#kz-status")?.classList.toggle("kz-booting", on);
}

function actionStatus(context, text) {
  const box = context.root.querySelector("#kz-action-status");
  if (box) box.textContent = text;
}

function fieldSlot(context, field, kind) {
  const candidates = [field];
  const parts = field.split(/\.|(?=\[)/);
  while (parts.length > 1) {
    parts.pop();
    candidates.push(parts.join(".").replace(/\.\[/g, "["));
  }
  for (const name of candidates) {
    const container = context.form.querySelector(`[data-kz-field="${CSS.escape(name)}"]`);
    if (container && isShown(container)) return container.querySelector(`.kz-${kind}`);
  }
  return null;
}

function clearMessages(context) {
  for (const slot of context.form.querySelectorAll(".kz-error")) {
    slot.hidden = true;
    slot.textContent = "";
  }
  for (const slot of context.form.querySelectorAll(".kz-parsed")) slot.textContent = "";
  for (const input of context.form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
  const general = context.root.querySelector("#kz-general-errors");
  if (general) general.remove();
}

function showErrors(context, errors) {
  const unplaced = [];
  for (const error of errors) {
    const slot = fieldSlot(context, error.field, "error");
    if (slot) {
      slot.hidden = false;
      slot.textContent = slot.textContent ? `${slot.textContent} ${error.message}` : error.message;
      const input = context.form.querySelector(`[name="${CSS.escape(error.field)}"]`);
      input?.setAttribute("aria-invalid", "true");
    } else {
      unplaced.push(error.message);
    }
  }
  if (unplaced.length) {
    const box = document.createElement("div");
    box.id = "kz-general-errors";
    box.className = "kz-general-errors";
    box.setAttribute("role", "alert");
    const list = document.createElement("ul");
    for (const message of unplaced) {
      const item = document.createElement("li");
      item.textContent = message;
      list.append(item);
    }
    box.append(list);
    context.form.prepend(box);
  }
}

function showParsed(context, parsed) {
  for (const [name, text] of Object.entries(parsed)) {
    const container = context.form.querySelector(`[data-kz-field="${CSS.escape(name)}"]`);
    const slot = container?.querySelector(".kz-parsed");
    const input = container?.querySelector("input[type=text]");
    if (slot && input && input.value.trim() !== text) slot.textContent = `＝ ${text}`;
  }
}

// Brings the shown results in line with a new answer's HTML node by node instead of replacing
// them: a live answer usually differs from the shown one in some figures (the example rendered at
// build time differs only in its 基準日), and the browser then restyles and lays out only those.
// Replacing all of it made the first live answer a 50-60 ms frame right after Python's start on
// two cores, and on the 資金繰り表 each recompute spent 10-15 ms laying out the new table (now
// under 1 ms); it also lost what the visitor did inside the results (a wide table scrolled
// sideways). Afterwards the results are exactly the new HTML (tests/browser/test_tools.py).
//
// Children are matched by key, not by position: a node's key is its data-kz-key (the Python
// renderers give one to every table and row: calculators/html.py), else its id, else the id of the
// heading that labels it (aria-labelledby: every section of a result has one). A block that appears
// or goes away (the forecast's 注意) then leaves the sections after it, and a scrolled table inside
// them, where they are. Nodes without a key are matched in order among their siblings.

/** @param {Node} node */
function keyOf(node) {
  if (node.nodeType !== Node.ELEMENT_NODE) return null;
  const element = /** @type {Element} */ (node);
  return element.getAttribute("data-kz-key") || element.id || element.getAttribute("aria-labelledby") || null;
}

/** @param {Node} old @param {Node} fresh */
function update(old, fresh) {
  if (old.nodeType === Node.ELEMENT_NODE) {
    syncAttributes(/** @type {Element} */ (old), /** @type {Element} */ (fresh));
    // a lazy section's content comes apart from the answer's HTML (showLazyLater)
    if (!(/** @type {Element} */ (old).hasAttribute("data-kz-lazy"))) morph(old, fresh);
  } else if (old.nodeValue !== fresh.nodeValue) {
    old.nodeValue = fresh.nodeValue;
  }
}

/**
 * The shown node that a new one replaces: the shown node with its key, or for a node without a key
 * the next shown node in order if that has no key either and is of the same kind.
 * @param {Node | null} cursor @param {Node} fresh @param {Map<string, Node>} shownByKey
 */
function counterpart(cursor, fresh, shownByKey) {
  const key = keyOf(fresh);
  if (key === null) return cursor && keyOf(cursor) === null && sameKind(cursor, fresh) ? cursor : null;
  const match = shownByKey.get(key);
  shownByKey.delete(key);
  return match && sameKind(match, fresh) ? match : null;
}

/** @param {Node} current @param {Node} next */
function morph(current, next) {
  const wanted = new Set();
  for (let node = next.firstChild; node; node = node.nextSibling) wanted.add(keyOf(node));
  /** @type {Map<string, Node>} */
  const shownByKey = new Map();
  for (let node = current.firstChild; node; node = node.nextSibling) {
    const key = keyOf(node);
    if (key !== null && wanted.has(key) && !shownByKey.has(key)) shownByKey.set(key, node);
  }
  const pending = new Set(shownByKey.values()); // shown keyed nodes a later new node will take
  let cursor = current.firstChild;
  const dropCursor = () => {
    if (!cursor) return;
    const after = cursor.nextSibling;
    cursor.remove();
    cursor = after;
  };
  for (let fresh = next.firstChild; fresh; ) {
    const following = fresh.nextSibling;
    // a shown keyed node the new answer has no use for is dropped, never morphed into another
    while (cursor && keyOf(cursor) !== null && !pending.has(cursor)) dropCursor();
    const match = counterpart(cursor, fresh, shownByKey);
    if (match === null) {
      current.insertBefore(fresh, cursor);
    } else {
      pending.delete(match);
      if (match !== cursor && onlyUnwantedBetween(cursor, match, pending)) {
        while (cursor !== match) dropCursor();
      }
      if (match === cursor) cursor = cursor.nextSibling;
      else current.insertBefore(match, cursor); // moved: only when the order of keyed nodes changed
      update(match, fresh);
    }
    fresh = following;
  }
  while (cursor) dropCursor();
}

/**
 * Whether `match` comes after `from` with no node between that a later new node takes: those are
 * then dropped, so that `match` stays in place (moving a node resets its scroll position).
 * @param {Node | null} from @param {Node} match @param {Set<Node>} pending
 */
function onlyUnwantedBetween(from, match, pending) {
  for (let node = from; node; node = node.nextSibling) {
    if (node === match) return true;
    if (pending.has(node)) return false;
  }
  return false;
}

/** @param {Node} a @param {Node} b */
function sameKind(a, b) {
  return a.nodeType === b.nodeType && a.nodeName === b.nodeName && /** @type {Element} */ (a).namespaceURI === /** @type {Element} */ (b).namespaceURI;
}

function syncAttributes(old, fresh) {
  const wanted = fresh.attributes;
  for (let i = 0; i < wanted.length; i++) {
    const { name, value } = wanted[i];
    if (old.getAttribute(name) !== value) old.setAttribute(name, value);
  }
  // with as many attributes as wanted, all of them wanted, old has no others
  if (old.attributes.length === wanted.length) return;
  for (const name of old.getAttributeNames()) if (!fresh.hasAttribute(name)) old.removeAttribute(name);
}

// The results' HTML is made by kaizen_core's views (Jinja with autoescape: every typed text is
// escaped there). It is parsed inert in a <template> and, as a second line behind that and the
// page's Content-Security-Policy, anything that could run is removed before it reaches the page.
const UNSAFE_ELEMENTS = new Set(["SCRIPT", "IFRAME", "OBJECT", "EMBED", "BASE", "META", "LINK", "FORM", "FRAME", "FRAMESET"]);

export function inertFragment(html) {
  const template = document.createElement("template");
  template.innerHTML = html;
  const walker = document.createTreeWalker(template.content, NodeFilter.SHOW_ELEMENT);
  const doomed = [];
  const next = () => /** @type {Element | null} */ (walker.nextNode());
  for (let node = next(); node; node = next()) {
    if (UNSAFE_ELEMENTS.has(node.nodeName.toUpperCase())) {
      doomed.push(node);
      continue;
    }
    for (const name of node.getAttributeNames()) {
      const value = node.getAttribute(name);
      const lower = name.toLowerCase();
      if (lower.startsWith("on") || lower === "srcdoc" || (/^(href|src|xlink:href|action|formaction)$/.test(lower) && /^\s*(javascript|data|vbscript):/i.test(value ?? ""))) {
        node.removeAttribute(name);
      }
    }
  }
  for (const node of doomed) node.remove();
  return template.content;
}

function showResults(results, html) {
  morph(results, inertFragment(html));
}

// The parts of a result the screen does not show (the 資金繰り表's printed copy of its table:
// calculators/html.py lazy_section) come apart from the visible result. They are put into their
// elements just after the visible result has been painted, or at once when the page is printed
// (beforeprint), so a keystroke waits only for what the eye sees. A page is counted as computed
// (data-kz-computed, what the checks wait for) once these parts are in too.
const LAZY_FALLBACK_MS = 200; // when no frame is painted (a tab in the background)

/** @param {ToolContext} context @param {Record<string, string>} parts */
function showLazyLater(context, parts) {
  context.lazy = parts;
  context.lazyComputed = (context.lazyComputed ?? 0) + 1;
  if (context.lazyTimer) return; // the flush already waiting takes the newest parts
  const flush = () => showLazy(context);
  context.lazyTimer = setTimeout(flush, LAZY_FALLBACK_MS);
  requestAnimationFrame(() => setTimeout(flush, 0));
}

/** @param {ToolContext} context */
function showLazy(context) {
  clearTimeout(context.lazyTimer);
  context.lazyTimer = undefined;
  const parts = context.lazy;
  context.lazy = undefined;
  if (parts && context.root.isConnected) {
    for (const node of context.root.querySelectorAll("#kz-results [data-kz-lazy]")) {
      const html = parts[/** @type {HTMLElement} */ (node).dataset.kzLazy ?? ""];
      if (html !== undefined) morph(node, inertFragment(html));
    }
  }
  for (; context.lazyComputed; context.lazyComputed--) countComputed(context);
}

/** @param {ToolContext} context */
function countComputed(context) {
  context.root.dataset.kzComputed = String(Number(context.root.dataset.kzComputed ?? 0) + 1);
}

function publish(context, text) {
  const node = context.root.querySelector("#kz-result");
  if (node) node.textContent = text;
}

// ---------------------------------------------------------------------------------------------
// Computing

/**
 * Computes the form (or a share link's request) and shows the answer. A call while one runs is
 * queued; the returned promise settles once the queued one (e.g. the 資金繰り表's months laid out
 * again) has been shown too, so the page is marked ready only on a current answer.
 * @param {ToolContext} context @param {any} [override]
 */
async function compute(context, override = null) {
  if (context.busy) {
    context.again = true;
    context.againOverride = override;
    return;
  }
  context.busy = true;
  try {
    await computeOnce(context, override);
  } finally {
    context.busy = false;
  }
  if (context.again) {
    const next = context.againOverride ?? null;
    context.again = false;
    context.againOverride = null;
    await compute(context, next);
  }
}

/** @param {ToolContext} context @param {any} override */
async function computeOnce(context, override) {
  // A computation normally takes milliseconds: if the worker is still busy after a few seconds,
  // say so instead of showing the previous answer as if it were current.
  const slow = setTimeout(() => {
    context.root.querySelector("#kz-results")?.classList.add("kz-stale");
    setStatus(context, "計算に時間がかかっています。下の結果は直前のものです。このままお待ちください。", "busy");
  }, SLOW_COMPUTE_MS);
  let lazy = false; // whether this answer's unseen parts are still to be put in (showLazyLater)
  try {
    const request = override ?? formToRequest(context.form);
    const began = performance.now();
    const api = /** @type {KaizenWorkerApi} */ (context.api); // compute() runs once the worker is up
    const answer = JSON.parse(await api.compute(context.tool, JSON.stringify(request), context.shownDigest));
    clearTimeout(slow);
    if (!context.root.isConnected) return;
    // The widget lays out its grids by the worker's reading of the request (ToolForm.layout); when
    // that changed the request (the 資金繰り表's months), this answer is stale: compute again.
    if (context.widget?.layout?.(context, answer.layout ?? {})) {
      context.again = true;
      context.againOverride = override; // a share link's request is still not autosaved
      return;
    }
    clearMessages(context);
    showParsed(context, answer.parsed);
    const results = /** @type {HTMLElement} */ (context.root.querySelector("#kz-results"));
    if (answer.status === 0) {
      // An answer the page already shows (e.g. the example rendered at build time) comes back
      // without its text and HTML: the DOM stays as it is.
      if (!answer.unchanged) {
        publish(context, answer.text);
        showResults(results, answer.html);
        context.shownDigest = answer.digest;
        if (answer.lazy && Object.keys(answer.lazy).length) {
          showLazyLater(context, answer.lazy);
          lazy = true;
        }
      }
      results.classList.remove("kz-stale");
      context.request = request;
      setStatus(context, `計算しました。${answer.summary}`, "ready");
    } else {
      publish(context, answer.text);
      context.shownDigest = ""; // the result element now holds the errors, not the shown result
      const document_ = JSON.parse(answer.text);
      showErrors(context, document_.errors ?? []);
      results.classList.add("kz-stale");
      setStatus(context, "入力に直すところがあります（赤い字の説明を見てください）。結果は直前の計算のままです。", "error");
    }
    if (!override && context.autosave) save(context.tool, request);
    const elapsed = performance.now() - began;
    context.timings.push(elapsed);
    context.root.dataset.kzLastMs = elapsed.toFixed(1);
    if (!lazy) countComputed(context); // else once the lazy parts are in (showLazy)
  } catch {
    // the worker failed (it answers every bad input with a message, so this is not the input)
    context.shownDigest = "";
    context.root.querySelector("#kz-results")?.classList.add("kz-stale");
    setStatus(context, "計算できませんでした。下の結果は直前のもので、今の入力のものではありません。入力を見直すか、ページを読み込み直してください。", "failed");
    if (!lazy) countComputed(context);
  } finally {
    clearTimeout(slow);
  }
}

function scheduleCompute(context) {
  clearTimeout(context.timer);
  context.timer = setTimeout(() => compute(context), DEBOUNCE_MS);
}

// ---------------------------------------------------------------------------------------------
// Actions: share, print, CSV, xlsx, upload, clear

function download(bytes, filename, type) {
  const blob = new Blob([bytes], { type });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// Today in Japan, written the Japanese way (2026年12月3日), whatever the computer's time zone.
const JAPAN_DATE = new Intl.DateTimeFormat("ja-JP", { timeZone: "Asia/Tokyo", year: "numeric", month: "long", day: "numeric" });

export function japanToday(now = new Date()) {
  return JAPAN_DATE.format(now);
}

function fileStem(context) {
  const title = document.querySelector("h1")?.textContent?.trim() || context.tool;
  return `${title}_${japanToday()}`;
}

function currentRequest(context) {
  return context.root.querySelector("#kz-results.kz-stale") ? null : context.request;
}

/** 共有リンク: the request in the address (without private fields), copied when the browser lets us. */
async function shareLink(context, request) {
  const url = new URL(location.href);
  url.hash = "q=" + encodeRequest(withoutPrivate(context, request ?? formToRequest(context.form)));
  const box = context.root.querySelector(".kz-share");
  const field = box.querySelector("input");
  field.value = url.href;
  box.hidden = false;
  try {
    await navigator.clipboard.writeText(url.href);
    actionStatus(context, "共有リンクをコピーしました。入力内容はリンクの中に入っています。渡す相手に注意してください。");
  } catch {
    field.select();
    actionStatus(context, "共有リンクを下に表示しました。選択してコピーしてください。");
  }
}

/** 入力例に戻す / 入力欄を空にする: forgets what this device kept, then fills the form. */
async function resetForm(context, toExample) {
  forget(context.tool);
  if (location.hash.startsWith("#q=")) history.replaceState(null, "", location.pathname + location.search);
  showNotice(context, []);
  fillForm(context, screen(context, toExample ? defaultRequest(context) : {}).flat);
  actionStatus(
    context,
    toExample ? "この端末に保存していた入力を消去し、入力例に戻しました。" : "この端末に保存していた入力を消去し、入力欄を空にしました。",
  );
  if (context.api) await compute(context);
}

/** この端末に保存しない: the choice itself is kept (for every tool of this browser). */
function setAutosave(context, event) {
  context.autosave = !event.target.checked;
  try {
    if (context.autosave) localStorage.removeItem(NO_AUTOSAVE_KEY);
    else localStorage.setItem(NO_AUTOSAVE_KEY, "1");
  } catch {
    /* storage disabled: nothing is kept anyway */
  }
  if (!context.autosave) forget(context.tool);
  actionStatus(
    context,
    context.autosave
      ? "入力をこの端末（このブラウザ）に保存します。次に開いたときも続きから使えます。"
      : "入力をこの端末に保存しません。保存していた入力も消去しました（このブラウザのすべての計算ツールに適用）。",
  );
}

/** ファイルから読み込む: Python reads the CSV or xlsx; the request it finds fills the form. */
async function uploadFile(context, event, wheels) {
  const file = event.target.files?.[0];
  event.target.value = "";
  if (!file) return;
  actionStatus(context, `「${file.name}」を読み込んでいます…`);
  const bytes = new Uint8Array(await file.arrayBuffer());
  const answer = JSON.parse(await context.api.import_file(context.tool, file.name, bytes, wheels));
  if (answer.errors) {
    actionStatus(context, answer.errors.map((e) => e.message).join(" "));
    return;
  }
  const { notice } = loadRequest(context, answer.request, "file");
  showNotice(context, [notice]);
  await compute(context);
  actionStatus(context, `「${file.name}」の内容を入力欄に読み込みました。${notice ? "読み込めなかった項目があります（上の注意を見てください）。" : ""}`);
}

/** CSV / Excel で保存: the files Python writes for a request that has no error. */
async function saveExport(context, action, request, wheels) {
  if (!request) {
    actionStatus(context, "入力に直すところがあるため保存できません。先に入力を直してください。");
    return;
  }
  if (action === "csv") {
    const bytes = await context.api.export_csv(context.tool, JSON.stringify(request));
    if (exportFailed(context, bytes)) return;
    download(bytes, `${fileStem(context)}.csv`, "text/csv;charset=utf-8");
    actionStatus(context, "CSV ファイルを保存しました（Excel でそのまま開けます）。");
    return;
  }
  actionStatus(context, "Excel 形式を準備しています（初めてのときは数秒かかります）…");
  const bytes = await context.api.export_xlsx(context.tool, JSON.stringify(request), wheels);
  if (exportFailed(context, bytes)) return;
  download(bytes, `${fileStem(context)}.xlsx`, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  actionStatus(context, "Excel ファイル（xlsx）を保存しました。");
}

/** The buttons of tool.html's data-kz-action, each to its handler above. */
async function onAction(context, action, event) {
  const request = currentRequest(context);
  const wheels = JSON.stringify(context.info.wheels.map((path) => new URL(path, SITE_ROOT).href));
  if (action === "share") await shareLink(context, request);
  else if (action === "print") window.print();
  else if (action === "example" || action === "empty") await resetForm(context, action === "example");
  else if (action === "autosave") setAutosave(context, event);
  else if (action === "upload") await uploadFile(context, event, wheels);
  else if (action === "csv" || action === "xlsx") await saveExport(context, action, request, wheels);
}

// Fields marked private (a company's name for the printed sheet) never go into a share link.
function withoutPrivate(context, request) {
  const flat = flatten(request);
  for (const input of context.form.querySelectorAll("[data-kz-private][name]")) delete flat[input.name];
  return unflatten(flat);
}

// The worker answers an export it could not make with its messages (JSON text) instead of bytes.
function exportFailed(context, result) {
  if (typeof result !== "string") return false;
  let messages = [];
  try {
    messages = (JSON.parse(result).errors ?? []).map((error) => error.message);
  } catch {
    /* the generic message below */
  }
  actionStatus(context, messages.length ? `保存できませんでした。${messages.join(" ")}` : "保存できませんでした。もう一度試してください。");
  return true;
}

/**
 * A download that the result offers itself (data-kz-file="ics", its MIME type in data-kz-type):
 * the worker makes the bytes from the view's FILES, named like the CSV and xlsx files.
 * @param {any} context @param {HTMLElement} button
 */
async function saveFile(context, button) {
  const request = currentRequest(context);
  if (!context.api || !request) {
    actionStatus(context, context.api ? "入力に直すところがあるため保存できません。先に入力を直してください。" : "計算の準備ができてから使えます。少し待ってください。");
    return;
  }
  const kind = button.dataset.kzFile ?? "";
  const bytes = await context.api.export_file(context.tool, kind, JSON.stringify(request));
  if (exportFailed(context, bytes)) return;
  download(bytes, `${fileStem(context)}.${kind}`, button.dataset.kzType || "application/octet-stream");
  actionStatus(context, `${kind} ファイルを保存しました。`);
}

function bindActions(context) {
  // delegated: the result's own download buttons are replaced on every answer
  context.root.addEventListener("click", (event) => {
    const button = event.target instanceof Element ? event.target.closest("[data-kz-file]") : null;
    if (button instanceof HTMLElement) saveFile(context, button).catch(() => actionStatus(context, "うまくいきませんでした。もう一度試してください。"));
  });
  for (const control of context.root.querySelectorAll("[data-kz-action]")) {
    const action = control.dataset.kzAction;
    const type = action === "upload" || action === "autosave" ? "change" : "click";
    control.addEventListener(type, (event) => {
      if (NEEDS_PYTHON.has(action) && !context.api) {
        actionStatus(context, "計算の準備ができてから使えます。少し待ってください。");
        return;
      }
      onAction(context, action, event).catch(() => actionStatus(context, "うまくいきませんでした。もう一度試してください。"));
    });
  }
  window.addEventListener("beforeprint", () => {
    showLazy(context); // the printed copy of the newest answer, if it is not in yet
    for (const node of context.root.querySelectorAll("[data-kz-print-date]")) {
      node.textContent = japanToday();
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Mounting a tool page

async function loadWidget(context) {
  if (!context.info.widgets?.includes(context.tool)) return null;
  return import(new URL(`widgets/${context.tool}.mjs`, RUNTIME).href);
}

function batchHeading() {
  const heading = document.createElement("h2");
  heading.id = "kz-batch-results-heading";
  heading.textContent = "結果";
  return heading;
}

// The same table calculators/html.table() writes, built from the sheet's cells as text.
function batchTable({ caption, headers, rows, numeric }) {
  const make = (tag, text, className) => {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  };
  const right = new Set(numeric);
  const wrap = make("div", undefined, "kz-table-wrap");
  wrap.tabIndex = 0;
  wrap.setAttribute("role", "region");
  wrap.setAttribute("aria-label", caption);
  const table = make("table", undefined, "kz-table");
  table.append(make("caption", caption));
  const headRow = make("tr");
  headers.forEach((text, index) => {
    const cell = make("th", text, right.has(index) ? "kz-r" : "");
    cell.scope = "col";
    headRow.append(cell);
  });
  const head = make("thead");
  head.append(headRow);
  const body = make("tbody");
  for (const row of rows) {
    const line = make("tr");
    row.forEach((text, index) => {
      const cell = make(index === 0 ? "th" : "td", text, right.has(index) ? "kz-r" : "");
      if (index === 0) cell.scope = "row";
      line.append(cell);
    });
    body.append(line);
  }
  table.append(head, body);
  wrap.append(table);
  return wrap;
}

// 一括判定: upload a sheet, run kaizen_core.batch with pandas (loaded on the first run), save results.
async function mountBatch(root) {
  const info = runtimeInfo();
  if (!info?.batch?.available) return;
  /** @type {{ root: HTMLElement, info: any, tool: string, form: Element | null, api: KaizenWorkerApi | null }} */
  const context = { root, info, tool: "batch", form: root.querySelector("#kz-batch-form"), api: null };
  const fileInput = root.querySelector("#kz-batch-file");
  const error = root.querySelector("#kz-batch-file-error");
  const results = root.querySelector("#kz-results");
  const wheels = JSON.stringify(info.wheels.map((path) => new URL(path, SITE_ROOT).href));
  root.querySelector("[data-kz-batch-run]").addEventListener("click", async () => {
    error.hidden = true;
    const file = fileInput.files?.[0];
    if (!file) {
      error.textContent = "判定する表のファイルを選んでください。";
      error.hidden = false;
      fileInput.focus();
      return;
    }
    busy(root, true);
    setStatus(context, "Python と表の処理の部品を準備しています（初回は十数秒かかります）…", "busy");
    try {
      const { api } = await startWorker();
      setStatus(context, `「${file.name}」を判定しています…`, "busy");
      const answer = JSON.parse(await api.run_batch(file.name, new Uint8Array(await file.arrayBuffer()), wheels));
      if (answer.errors) {
        error.textContent = answer.errors.map((e) => e.message).join(" ");
        error.hidden = false;
        setStatus(context, "ファイルを読み取れませんでした（理由は入力欄の下にあります）。", "error");
        return;
      }
      results.replaceChildren(batchHeading(), batchTable(answer.table));
      for (const button of root.querySelectorAll("[data-kz-batch-download]")) button.disabled = false;
      context.api = api;
      const note = answer.failed ? `（うち${answer.failed}行にエラー。エラー列を見てください）` : "";
      setStatus(context, `${answer.rows}行を判定しました${note}。`, "ready");
      document.body.dataset.kzReady = "1";
    } catch (failure) {
      setStatus(context, "判定できませんでした。ページを読み込み直して、もう一度試してください。", "failed");
      root.dataset.kzError = String(failure instanceof Error ? failure.message : failure);
    } finally {
      busy(root, false);
    }
  });
  for (const button of root.querySelectorAll("[data-kz-batch-download]")) {
    button.addEventListener("click", async () => {
      const kind = button.dataset.kzBatchDownload;
      if (!context.api || !kind) return; // the buttons are enabled once a sheet has been judged
      const bytes = await context.api.batch_file(kind);
      const type = kind === "csv" ? "text/csv;charset=utf-8" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
      download(bytes, `一括判定の結果_${japanToday()}.${kind}`, type);
    });
  }
}

/**
 * The state of a mounted tool page, shared by every function here (globalThis.kaizenTool).
 * @typedef {{
 *   root: HTMLElement, info: any, tool: string, form: HTMLFormElement, timings: number[],
 *   api: KaizenWorkerApi | null, request: any, shownDigest: string, autosave: boolean,
 *   widget?: any, busy?: boolean, again?: boolean, againOverride?: any, timer?: any, vocabulary?: RegExp,
 *   loadedHash: string, lazy?: Record<string, string>, lazyTimer?: any, lazyComputed?: number,
 * }} ToolContext
 */

/** @param {HTMLElement} root @returns {ToolContext} */
function createContext(root) {
  return {
    root,
    info: runtimeInfo(),
    tool: root.dataset.kzTool ?? "",
    form: /** @type {HTMLFormElement} */ (root.querySelector("#kz-form")),
    timings: [],
    api: null,
    request: JSON.parse(root.querySelector("#kz-default")?.textContent ?? "{}"),
    shownDigest: /** @type {HTMLElement} */ (root.querySelector("#kz-result")).dataset.kzDigest ?? "",
    autosave: autosaveWanted(),
    // the #q= part this page has loaded (a share link): coming back to it in the history loads nothing again
    loadedHash: "",
  };
}

/** Loads the tool's widget module, if it has one, and sets it up on the form. @param {ToolContext} context */
async function setupWidget(context) {
  context.widget = await loadWidget(context);
  performance.mark("kz-widget-loaded");
  context.widget?.setup?.({
    ...context,
    layout: JSON.parse(context.form.dataset.kzLayout || "{}"),
    recompute: () => {
      applyShowIf(context.form);
      if (context.api) scheduleCompute(context);
    },
  });
  performance.mark("kz-widget-ready");
}

/**
 * Fills the form from a share link, else from the autosaved input, and says what could not be
 * read. Returns the link's request as far as the form took it (computed first), or null.
 * @param {ToolContext} context
 */
function loadStartingRequest(context) {
  const link = readLink();
  const saved = context.autosave ? loadSaved(context.tool) : { request: null, problem: null };
  const notices = [];
  let shared = null;
  if (link.request || link.problem) context.loadedHash = location.hash;
  if (link.request) {
    const loaded = loadRequest(context, link.request, "link");
    notices.push(loaded.notice);
    shared = loaded.request;
  } else {
    if (saved.request) notices.push(loadRequest(context, saved.request, "saved").notice);
    const shown = saved.request ? "この端末に保存していた入力" : "入力例";
    if (link.problem) notices.push(`この共有リンクは読み取れませんでした（${link.problem}）。代わりに${shown}を表示しています。`);
    if (saved.problem) notices.push(`この端末に保存していた入力は読み取れなかったため（${saved.problem}）、消去して入力例を表示しています。`);
  }
  showNotice(context, notices);
  applyShowIf(context.form);
  return shared;
}

/** Every change of an input re-applies the show-if rules and (once Python runs) recomputes. @param {ToolContext} context */
function bindForm(context) {
  const autosaveSwitch = /** @type {HTMLInputElement | null} */ (context.root.querySelector('[data-kz-action="autosave"]'));
  if (autosaveSwitch) autosaveSwitch.checked = !context.autosave;
  const changed = () => {
    applyShowIf(context.form);
    if (context.api) scheduleCompute(context);
  };
  context.form.addEventListener("input", changed);
  context.form.addEventListener("change", changed);
  context.form.addEventListener("submit", (event) => event.preventDefault());
  bindActions(context);
  // Opening another share link in the same tab (or editing the #q= part) loads that request.
  window.addEventListener("hashchange", () => {
    if (!context.root.isConnected || !location.hash.startsWith("#q=")) return;
    // Back to this tool from another (the history entry's address has the link this page loaded
    // then): the form keeps what the visitor has typed since.
    if (location.hash === context.loadedHash) return;
    context.loadedHash = location.hash;
    const { request, problem } = readLink();
    if (problem) {
      showNotice(context, [`この共有リンクは読み取れませんでした（${problem}）。入力欄はそのままです。`]);
      return;
    }
    const loaded = loadRequest(context, request, "link");
    showNotice(context, [loaded.notice]);
    if (context.api) compute(context, loaded.request ?? formToRequest(context.form));
  });
}

const WARM_AFTER_MS = 2_000;
let warming = false;

/**
 * Once the page has been quiet a while, the worker answers the other tools' examples one at a time
 * (worker.py warm_next): a tool's first answer imports its code, so the next tool the visitor opens
 * (in the same document) answers at once. Each step waits until the browser is idle and nothing is
 * being computed; an edit waits at most for the one step under way. @param {ToolContext} context
 */
function warmOtherTools(context) {
  if (warming || !context.api) return;
  warming = true;
  const api = context.api;
  const idle = (/** @type {() => void} */ next) =>
    "requestIdleCallback" in window ? requestIdleCallback(next, { timeout: 5_000 }) : setTimeout(next, 200);
  const step = () =>
    idle(async () => {
      const current = /** @type {ToolContext | undefined} */ (globalThis.kaizenTool);
      if (current?.busy) return setTimeout(step, 500);
      try {
        if ((await api.warm_next(current?.tool ?? "")) > 0) setTimeout(step, 100);
      } catch {
        /* only a head start */
      }
    });
  setTimeout(step, WARM_AFTER_MS);
}

/**
 * Waits for Python (started from the page head), computes the first live answer and marks the
 * page ready; says so when the start is slow or fails. @param {ToolContext} context @param {any} shared
 */
async function startPython(context, shared) {
  const { root } = context;
  // (the status line is busy from its HTML: calculators/templates/tool.html)
  // On a slow line or an old PC the first start can take long: say so rather than look stuck.
  const slow = setTimeout(() => {
    if (!context.api) {
      setStatus(context, "準備に時間がかかっています（初めて開いたときや回線が遅いときは数十秒かかることがあります）。このままお待ちください。", "busy");
    }
  }, 15_000);
  try {
    const { api, bootMs } = await startWorker();
    context.api = api;
    root.dataset.kzBootMs = bootMs.toFixed(0);
    if (!root.isConnected) return;
    await compute(context, shared);
    performance.mark("kz-ready");
    document.body.dataset.kzReady = "1";
    warmOtherTools(context);
  } catch (error) {
    setStatus(context, "計算の準備ができませんでした。ページを読み込み直してください。古いブラウザでは動かないことがあります。", "failed");
    root.dataset.kzError = String(error instanceof Error ? error.message : error);
  } finally {
    clearTimeout(slow);
    busy(root, false);
    // The page's other scripts wait for this: Material's header and search (overrides/main.html)
    // and, after a successful start, the offline copy (docs/assets/site.js).
    document.dispatchEvent(new Event("kz:started"));
  }
}

/** @param {HTMLElement} root */
async function mount(root) {
  if (root.dataset.kzMounted) return;
  root.dataset.kzMounted = "1";
  if (root.dataset.kzTool === "batch") {
    await mountBatch(root);
    return;
  }
  const context = createContext(root);
  globalThis.kaizenTool = context; // for automated checks and the benchmark
  await setupWidget(context);
  const shared = loadStartingRequest(context);
  bindForm(context);
  await startPython(context, shared);
}

// ---------------------------------------------------------------------------------------------
// From one tool to another without starting Python again
//
// A tool page's link to another tool page (the navigation, the hand-offs in the results) is
// followed inside this document: the other page is fetched (from the offline copy when there is
// one), its content replaces this page's and its address is pushed to the history. The worker
// started here (the same Python, the same files: each tool page names the same worker) answers the
// next tool at once, instead of a full start of 1–2 s. The page left is kept as it is, with what
// was typed in it, and comes back as it was with the browser's back button. Any other link, a page
// of another build (an update) and the offline copy opened from a file load as usual.

/**
 * @typedef {{ container: Element, topic: Element | null, title: string, description: string | null,
 *   scrollY: number, context?: ToolContext, ready: boolean }} KeptPage
 */

/** @type {Map<string, KeptPage>} the tool pages left in this document, by path */
const keptPages = new Map();
let shownPath = location.pathname;

const TOOLS_PATH = new URL("tools/", SITE_ROOT).pathname;

function workerTag(doc) {
  return doc.querySelector('script[type="py"][worker][name="kaizen"]');
}

/** The address a click should open inside this document, or null (the browser follows it). @param {MouseEvent} event */
function softTarget(event) {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return null;
  return toolLink(event.target);
}

/** The tool page a link (or an element inside one) leads to, or null. @param {EventTarget | null} target */
function toolLink(target) {
  const link = target instanceof Element ? target.closest("a[href]") : null;
  if (!(link instanceof HTMLAnchorElement) || (link.target && link.target !== "_self") || link.hasAttribute("download")) return null;
  if (!link.closest('[data-md-component="container"]')) return null;
  const url = new URL(link.href);
  if (url.origin !== location.origin || url.pathname === location.pathname) return null;
  if (!url.pathname.startsWith(TOOLS_PATH) || url.pathname === TOOLS_PATH) return null; // only the tools (not their index)
  return url;
}

/** This page as it is now, to be shown again by the back button. */
function keepShownPage() {
  const container = document.querySelector('[data-md-component="container"]');
  if (!container) return;
  keptPages.set(shownPath, {
    container,
    topic: document.querySelector('[data-md-component="header-topic"]'),
    title: document.title,
    description: document.querySelector('meta[name="description"]')?.getAttribute("content") ?? null,
    scrollY: window.scrollY,
    context: /** @type {ToolContext | undefined} */ (globalThis.kaizenTool),
    ready: document.body.dataset.kzReady === "1",
  });
}

/** Puts a page's content, heading and title in place of the shown one. @param {KeptPage} page */
function showPage(page) {
  document.querySelector('[data-md-component="container"]')?.replaceWith(page.container);
  const topic = document.querySelector('[data-md-component="header-topic"]');
  if (topic && page.topic && topic !== page.topic) topic.replaceWith(page.topic);
  document.title = page.title;
  if (page.description !== null) {
    for (const meta of document.querySelectorAll('meta[name="description"]')) meta.setAttribute("content", page.description);
  }
  const drawer = /** @type {HTMLInputElement | null} */ (document.getElementById("__drawer"));
  if (drawer) drawer.checked = false; // the phone's menu closes, as after any link
  shownPath = location.pathname;
  document.dispatchEvent(new Event("kz:page")); // site-age.js: an old copy says so on this page too
}

/** Moves the reader (and a screen reader) to the new page's heading. */
function focusHeading(scrollY) {
  const heading = /** @type {HTMLElement | null} */ (document.querySelector(".md-content h1"));
  if (heading) {
    heading.tabIndex = -1;
    heading.focus({ preventScroll: true });
  }
  window.scrollTo(0, scrollY);
}

/** @type {Map<string, Promise<string | null>>} tool pages fetched ahead, by address (no #) */
const fetchedPages = new Map();

/** The page's HTML, or null when it is not one to show here; fetched once (on hover or focus). @param {URL} url */
function pageText(url) {
  const key = url.href.split("#")[0];
  let text = fetchedPages.get(key);
  if (!text) {
    text = fetch(key, { credentials: "same-origin" })
      .then((response) => (response.ok && (response.headers.get("content-type") ?? "").includes("text/html") ? response.text() : null))
      .catch(() => null);
    fetchedPages.set(key, text);
    text.then((value) => value === null && fetchedPages.delete(key)); // tried again next time
  }
  return text;
}

/** Fetches a tool page and shows it here; false when it has to be loaded as usual. @param {URL} url */
async function openTool(url) {
  const text = await pageText(url);
  performance.mark("kz-nav-fetched");
  if (text === null) return false;
  const fresh = new DOMParser().parseFromString(text, "text/html");
  const root = fresh.getElementById("kz-tool");
  const container = fresh.querySelector('[data-md-component="container"]');
  const here = workerTag(document);
  const there = workerTag(fresh);
  // another build's page (an update) needs its own worker: load it as usual
  if (!root || root.dataset.kzTool === "batch" || !container || !here || !there || here.getAttribute("config") !== there.getAttribute("config")) {
    return false;
  }
  showPage({
    container: document.adoptNode(container),
    topic: fresh.querySelector('[data-md-component="header-topic"]'),
    title: fresh.title,
    description: fresh.querySelector('meta[name="description"]')?.getAttribute("content") ?? null,
    scrollY: 0,
    ready: false,
  });
  return true;
}

/** @param {URL} url @param {boolean} push (false: the history already holds the address) */
async function goToTool(url, push) {
  performance.mark("kz-nav-start");
  keepShownPage();
  delete document.body.dataset.kzReady;
  if (push) history.replaceState({ ...history.state, kzTool: true }, "");
  const shown = await (async () => {
    if (push) history.pushState({ kzTool: true }, "", url.href);
    return openTool(url);
  })();
  if (!shown) {
    location.replace(url.href); // as if the link had been followed (the history keeps one entry)
    return;
  }
  performance.mark("kz-nav-shown");
  const root = document.getElementById("kz-tool");
  const mounted = root ? mount(root) : Promise.resolve();
  // In the next frame, not now: moving the focus lays the new page out, about 100 ms on a PC,
  // and by the next frame the worker is already computing the page's result alongside.
  requestAnimationFrame(() => focusHeading(0));
  await mounted;
}

// A pointer over a tool link, or the keyboard's focus on one, fetches the page ahead (a click
// follows some 100 ms later); the fetch goes through the offline copy like any other.
for (const type of ["pointerover", "focusin"]) {
  document.addEventListener(type, (event) => {
    if (location.protocol === "file:" || !document.getElementById("kz-tool")) return;
    const url = toolLink(event.target);
    if (!url) return;
    pageText(url);
    // and its widget module (the widgets are the same list on every tool page)
    const tool = url.pathname.slice(TOOLS_PATH.length).split("/")[0];
    if (runtimeInfo()?.widgets?.includes(tool)) import(new URL(`widgets/${tool}.mjs`, RUNTIME).href).catch(() => {});
  });
}

document.addEventListener("click", (event) => {
  if (location.protocol === "file:" || !document.getElementById("kz-tool")) return;
  const url = softTarget(event);
  if (!url) return;
  event.preventDefault();
  goToTool(url, true);
});

// The browser's back and forward buttons between the tool pages shown in this document.
window.addEventListener("popstate", () => {
  if (location.pathname === shownPath) return; // the same page (its #q= part: see bindForm)
  const kept = keptPages.get(location.pathname);
  if (!kept) {
    if (keptPages.size || history.state?.kzTool) goToTool(new URL(location.href), false);
    return;
  }
  keepShownPage();
  keptPages.delete(location.pathname);
  showPage(kept);
  if (kept.context) globalThis.kaizenTool = kept.context;
  focusHeading(kept.scrollY);
  if (kept.ready) document.body.dataset.kzReady = "1"; // its live result is still on it
  else if (kept.context) startPython(kept.context, null); // left before its first result: compute it now
});

// A tool page marks itself in its <head> (meta kz-runtime): start Python before the body has loaded.
const early = document.querySelector('meta[name="kz-runtime"]');
if (early && location.protocol !== "file:") {
  startWorker().catch(() => {
    /* mount() reports the failure when it awaits the same promise */
  });
}

function onPage() {
  const root = document.getElementById("kz-tool");
  if (root) mount(root);
}

if (globalThis.document$?.subscribe) {
  globalThis.document$.subscribe(onPage);
} else if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", onPage);
} else {
  onPage();
}
