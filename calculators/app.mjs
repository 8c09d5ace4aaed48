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
  return compactArrays(root);
}

function compactArrays(value) {
  if (Array.isArray(value)) return value.filter((item) => item !== undefined).map(compactArrays);
  if (value && typeof value === "object") {
    for (const key of Object.keys(value)) value[key] = compactArrays(value[key]);
  }
  return value;
}

export function flatten(value, prefix = "", out = {}) {
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

function fillForm(context, request) {
  const flat = flatten(request ?? {});
  context.widget?.prepare?.(context, flat);
  for (const element of context.form.elements) {
    if (!element.name || element.type === "file") continue;
    const raw = flat[element.name];
    const text = raw === undefined || raw === null ? "" : String(raw);
    if (element.type === "radio") {
      const word = { はい: "true", いいえ: "false", yes: "true", no: "false" }[text.toLowerCase()] ?? text.toLowerCase();
      element.checked = element.value === word;
    } else if (element.type === "checkbox") {
      element.checked = text === "true" || text === "はい";
    } else if (element.tagName === "SELECT") {
      if (text && ![...element.options].some((option) => option.value === text)) {
        element.add(new Option(text, text));
      }
      element.value = text;
    } else {
      element.value = text;
    }
  }
  applyShowIf(context.form);
}

// data-kz-show-if="programme=vup|405" hides a field or section unless the condition holds.
function applyShowIf(form) {
  const values = formToRequestIgnoringVisibility(form);
  for (const node of form.querySelectorAll("[data-kz-show-if]")) {
    // "a=x|y&b=z" (all must hold); alternatives joined by "||": "a=x||b=y"
    const shown = node.dataset.kzShowIf.split("||").some((alternative) =>
      alternative.split("&").every((rule) => {
        const [path, accepted] = rule.split("=");
        return accepted.split("|").includes(values[path] ?? "");
      }),
    );
    node.hidden = !shown;
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
// Share links (#q=…), autosave

function encodeRequest(request) {
  const bytes = new TextEncoder().encode(JSON.stringify(request));
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function decodeRequest(text) {
  const base64 = text.replaceAll("-", "+").replaceAll("_", "/");
  const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

function sharedRequest() {
  const match = location.hash.match(/^#q=([A-Za-z0-9_-]+)$/);
  if (!match) return null;
  try {
    return decodeRequest(match[1]);
  } catch {
    return null;
  }
}

function storageKey(tool) {
  return STORAGE_PREFIX + tool;
}

function loadSaved(tool) {
  try {
    const text = localStorage.getItem(storageKey(tool));
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

function save(tool, request) {
  try {
    localStorage.setItem(storageKey(tool), JSON.stringify(request));
  } catch {
    /* storage full or disabled: the page still works, only without autosave */
  }
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
function morph(current, next) {
  let old = current.firstChild;
  let fresh = next.firstChild;
  while (fresh) {
    const following = fresh.nextSibling;
    if (!old) {
      current.append(fresh);
    } else if (!sameKind(old, fresh)) {
      const after = old.nextSibling;
      current.replaceChild(fresh, old);
      old = after;
    } else {
      if (old.nodeType === Node.ELEMENT_NODE) {
        syncAttributes(old, fresh);
        morph(old, fresh);
      } else if (old.nodeValue !== fresh.nodeValue) {
        old.nodeValue = fresh.nodeValue;
      }
      old = old.nextSibling;
    }
    fresh = following;
  }
  while (old) {
    const after = old.nextSibling;
    old.remove();
    old = after;
  }
}

function sameKind(a, b) {
  return a.nodeType === b.nodeType && a.nodeName === b.nodeName && a.namespaceURI === b.namespaceURI;
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

function showResults(results, html) {
  const template = document.createElement("template");
  template.innerHTML = html;
  morph(results, template.content);
}

function publish(context, text) {
  const node = context.root.querySelector("#kz-result");
  if (node) node.textContent = text;
}

// ---------------------------------------------------------------------------------------------
// Computing

async function compute(context, override = null) {
  if (context.busy) {
    context.again = true;
    return;
  }
  context.busy = true;
  try {
    const request = override ?? formToRequest(context.form);
    const began = performance.now();
    const answer = JSON.parse(await context.api.compute(context.tool, JSON.stringify(request), context.shownDigest));
    if (!context.root.isConnected) return;
    clearMessages(context);
    showParsed(context, answer.parsed);
    const results = context.root.querySelector("#kz-results");
    if (answer.status === 0) {
      // An answer the page already shows (e.g. the example rendered at build time) comes back
      // without its text and HTML: the DOM stays as it is.
      if (!answer.unchanged) {
        publish(context, answer.text);
        showResults(results, answer.html);
        context.shownDigest = answer.digest;
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
    if (!override) save(context.tool, request);
    const elapsed = performance.now() - began;
    context.timings.push(elapsed);
    context.root.dataset.kzLastMs = elapsed.toFixed(1);
    context.root.dataset.kzComputed = String(Number(context.root.dataset.kzComputed ?? 0) + 1);
  } finally {
    context.busy = false;
    if (context.again) {
      context.again = false;
      queueMicrotask(() => compute(context));
    }
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

function fileStem(context) {
  const title = document.querySelector("h1")?.textContent?.trim() || context.tool;
  const day = new Date().toISOString().slice(0, 10);
  return `${title}_${day}`;
}

function currentRequest(context) {
  return context.root.querySelector("#kz-results.kz-stale") ? null : context.request;
}

async function onAction(context, action, event) {
  const request = currentRequest(context);
  const wheels = JSON.stringify(context.info.wheels.map((path) => new URL(path, SITE_ROOT).href));
  if (action === "share") {
    const url = new URL(location.href);
    url.hash = "q=" + encodeRequest(request ?? formToRequest(context.form));
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
    return;
  }
  if (action === "print") {
    window.print();
    return;
  }
  if (action === "clear") {
    localStorage.removeItem(storageKey(context.tool));
    history.replaceState(null, "", location.pathname + location.search);
    fillForm(context, JSON.parse(context.root.querySelector("#kz-default").textContent));
    actionStatus(context, "この端末に保存していた入力を消去し、入力例に戻しました。");
    await compute(context);
    return;
  }
  if (action === "upload") {
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
    fillForm(context, answer.request);
    await compute(context);
    actionStatus(context, `「${file.name}」の内容を入力欄に読み込みました。`);
    return;
  }
  if (!request) {
    actionStatus(context, "入力に直すところがあるため保存できません。先に入力を直してください。");
    return;
  }
  if (action === "csv") {
    const bytes = await context.api.export_csv(context.tool, JSON.stringify(request));
    download(bytes, `${fileStem(context)}.csv`, "text/csv;charset=utf-8");
    actionStatus(context, "CSV ファイルを保存しました（Excel でそのまま開けます）。");
  } else if (action === "xlsx") {
    actionStatus(context, "Excel 形式を準備しています（初めてのときは数秒かかります）…");
    const bytes = await context.api.export_xlsx(context.tool, JSON.stringify(request), wheels);
    download(bytes, `${fileStem(context)}.xlsx`, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    actionStatus(context, "Excel ファイル（xlsx）を保存しました。");
  }
}

function bindActions(context) {
  for (const control of context.root.querySelectorAll("[data-kz-action]")) {
    const action = control.dataset.kzAction;
    const type = action === "upload" ? "change" : "click";
    control.addEventListener(type, (event) => {
      if (!context.api) {
        actionStatus(context, "計算の準備ができてから使えます。少し待ってください。");
        return;
      }
      onAction(context, action, event).catch(() => actionStatus(context, "うまくいきませんでした。もう一度試してください。"));
    });
  }
  window.addEventListener("beforeprint", () => {
    for (const node of context.root.querySelectorAll("[data-kz-print-date]")) {
      node.textContent = new Date().toLocaleDateString("ja-JP");
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Mounting a tool page

async function loadWidget(context) {
  if (!context.info.widgets?.includes(context.tool)) return null;
  return import(new URL(`widgets/${context.tool}.mjs`, RUNTIME).href);
}

// 一括判定: upload a sheet, run kaizen_core.batch with pandas (loaded on the first run), save results.
async function mountBatch(root) {
  const info = runtimeInfo();
  if (!info?.batch?.available) return;
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
      results.innerHTML = `<h2 id="kz-batch-results-heading">結果</h2>${answer.html}`;
      for (const button of root.querySelectorAll("[data-kz-batch-download]")) button.disabled = false;
      context.api = api;
      const note = answer.failed ? `（うち${answer.failed}行にエラー。エラー列を見てください）` : "";
      setStatus(context, `${answer.rows}行を判定しました${note}。`, "ready");
      document.body.dataset.kzReady = "1";
    } catch (failure) {
      setStatus(context, "判定できませんでした。ページを読み込み直して、もう一度試してください。", "failed");
      root.dataset.kzError = String(failure?.message ?? failure);
    } finally {
      busy(root, false);
    }
  });
  for (const button of root.querySelectorAll("[data-kz-batch-download]")) {
    button.addEventListener("click", async () => {
      const kind = button.dataset.kzBatchDownload;
      const bytes = await context.api.batch_file(kind);
      const type = kind === "csv" ? "text/csv;charset=utf-8" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
      download(bytes, `一括判定の結果_${new Date().toISOString().slice(0, 10)}.${kind}`, type);
    });
  }
}

async function mount(root) {
  if (root.dataset.kzMounted) return;
  root.dataset.kzMounted = "1";
  if (root.dataset.kzTool === "batch") {
    await mountBatch(root);
    return;
  }
  const info = runtimeInfo();
  const context = {
    root,
    info,
    tool: root.dataset.kzTool,
    form: root.querySelector("#kz-form"),
    timings: [],
    api: null,
    request: JSON.parse(root.querySelector("#kz-default").textContent),
    shownDigest: root.querySelector("#kz-result").dataset.kzDigest ?? "",
  };
  globalThis.kaizenTool = context; // for automated checks and the benchmark
  context.widget = await loadWidget(context);
  performance.mark("kz-widget-loaded");
  context.widget?.setup?.({
    ...context,
    recompute: () => {
      applyShowIf(context.form);
      if (context.api) scheduleCompute(context);
    },
  });
  performance.mark("kz-widget-ready");
  const shared = sharedRequest();
  const initial = shared ?? loadSaved(context.tool);
  if (initial) fillForm(context, initial);
  applyShowIf(context.form);
  context.form.addEventListener("input", () => {
    applyShowIf(context.form);
    if (context.api) scheduleCompute(context);
  });
  context.form.addEventListener("change", () => {
    applyShowIf(context.form);
    if (context.api) scheduleCompute(context);
  });
  context.form.addEventListener("submit", (event) => event.preventDefault());
  bindActions(context);
  // Opening another share link in the same tab (or editing the #q= part) loads that request.
  window.addEventListener("hashchange", () => {
    const request = sharedRequest();
    if (!request || !context.api || !root.isConnected) return;
    fillForm(context, request);
    compute(context, request);
  });
  busy(root, true);
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
  } catch (error) {
    setStatus(context, "計算の準備ができませんでした。ページを読み込み直してください。古いブラウザでは動かないことがあります。", "failed");
    root.dataset.kzError = String(error?.message ?? error);
  } finally {
    clearTimeout(slow);
    busy(root, false);
    // The page's other scripts wait for this: Material's header and search (overrides/main.html)
    // and, after a successful start, the offline copy (docs/assets/site.js).
    document.dispatchEvent(new Event("kz:started"));
  }
}

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
