// Small enhancements for content pages. Everything here is optional: without JavaScript the
// pages work as they are (the council filter uses plain links and CSS :target).

function enhanceCouncilSelect() {
  const select = document.querySelector("[data-kz-pref-select]");
  if (!select || select.dataset.kzReady) return;
  select.dataset.kzReady = "1";
  const current = location.hash.replace("#", "");
  if (current.startsWith("pref-")) select.value = current;
  select.addEventListener("change", () => {
    const id = select.value || "kz-councils";
    // Assigning the hash (not replaceState) is what updates CSS :target (only that card shows).
    location.hash = id;
    // Then the card itself: in view and focused, so a phone user sees it and a screen reader reads it.
    const target = document.getElementById(id);
    if (!target) return;
    if (!target.hasAttribute("tabindex")) target.tabIndex = -1;
    target.scrollIntoView({ block: "start" });
    target.focus({ preventScroll: true });
  });
}

// Japanese search: the index splits Japanese into single characters (mkdocs.yml), so a query such
// as リスケ also lists pages that share only a kana or two with it (Material then marks the rest
// 「検索に含まれない」). When results show, each is checked against its page's full text from the
// search index the site already has (fetched once, from the browser's cache): a result whose page
// lacks a run of kana of the query as written (リスケ, アップ) is hidden, and pages holding the
// whole query come first. If no page holds the kana runs, Material's results stay as they are.
let pageTexts = null;

function searchTexts() {
  pageTexts ??= fetch(new URL("../search/search_index.json", import.meta.url))
    .then((response) => (response.ok ? response.json() : null))
    .then((index) => {
      if (!index?.docs) return null;
      const byPage = new Map();
      for (const doc of index.docs) {
        const page = String(doc.location ?? "").split("#")[0];
        const text = `${doc.title ?? ""} ${String(doc.text ?? "").replace(/<[^>]*>/g, "")}`;
        byPage.set(page, (byPage.get(page) ?? "") + plain(text));
      }
      return byPage;
    })
    .catch(() => null);
  return pageTexts;
}

function plain(text) {
  return String(text ?? "").normalize("NFKC").replace(/\s+/g, "").toLowerCase();
}

function pageOf(item) {
  const href = item.querySelector("a")?.href;
  if (!href) return null;
  const root = new URL("../", import.meta.url).pathname;
  const path = new URL(href).pathname;
  return path.startsWith(root) ? path.slice(root.length) : null;
}

export function refineResults(list, query, texts) {
  const items = [...list.querySelectorAll(":scope > .md-search-result__item")];
  const whole = plain(query);
  const runs = whole.match(/[\u3040-\u30ffー]{2,}/g) ?? [];
  const textOf = (item) => texts.get(pageOf(item) ?? "") ?? plain(item.textContent);
  const kept = items.filter((item) => runs.every((run) => textOf(item).includes(run)));
  const shown = kept.length ? kept : items;
  for (const item of items) item.hidden = !shown.includes(item);
  const first = whole.length >= 2 ? shown.filter((item) => textOf(item).includes(whole)) : [];
  const order = [...first, ...shown.filter((item) => !first.includes(item)), ...items.filter((item) => !shown.includes(item))];
  if (order.some((item, index) => items[index] !== item)) list.append(...order);
  const meta = list.parentElement?.querySelector(".md-search-result__meta");
  if (meta && kept.length && /\d+/.test(meta.textContent)) meta.textContent = meta.textContent.replace(/\d+/, String(kept.length));
}

function refineSearch() {
  const list = document.querySelector(".md-search-result__list");
  const input = document.querySelector("input.md-search__input");
  if (!list || !input || list.dataset.kzRefined) return;
  list.dataset.kzRefined = "1";
  const observer = new MutationObserver(async () => {
    const query = input.value;
    const texts = await searchTexts();
    if (!texts || input.value !== query) return;
    refineResults(list, query, texts);
    observer.takeRecords(); // our own moves are not new results
  });
  observer.observe(list, { childList: true });
}

// 拡大表示: larger text for a projector at a seminar (and anyone who wants it), kept in this browser.
const LARGE_KEY = "kaizen-navi:v1:large-text";

function setLarge(on) {
  document.documentElement.classList.toggle("kz-large", on);
  for (const button of document.querySelectorAll("[data-kz-large]")) button.setAttribute("aria-pressed", String(on));
}

function largeTextSwitch() {
  let on = false;
  try {
    on = localStorage.getItem(LARGE_KEY) === "1";
  } catch {
    /* storage disabled: the switch still works for this page */
  }
  setLarge(on);
  const header = document.querySelector(".md-header__inner");
  if (!header || header.querySelector("[data-kz-large]")) return;
  const button = document.createElement("button");
  button.type = "button";
  button.className = "kz-large-switch";
  button.dataset.kzLarge = "";
  button.textContent = "拡大表示";
  button.setAttribute("aria-pressed", String(on));
  button.addEventListener("click", () => {
    const next = !document.documentElement.classList.contains("kz-large");
    setLarge(next);
    try {
      if (next) localStorage.setItem(LARGE_KEY, "1");
      else localStorage.removeItem(LARGE_KEY);
    } catch {
      /* not kept: only this page is larger */
    }
  });
  const search = header.querySelector(".md-search");
  header.insertBefore(button, search ?? null);
}

function onPage() {
  enhanceCouncilSelect();
  refineSearch();
  largeTextSwitch();
}

// The installed app and offline use (seminars without Wi-Fi): a service worker, only over http(s),
// registered when it cannot compete with the page. On content pages that is once the page has
// loaded (its install copies the site's pages). On tool pages it is a few seconds after Python's
// first live result (app.mjs says so with "kz:started"), once idle: registered at the first result
// itself, its start and copying ran beside the result's layout and Material's start, and on two
// cores that made tasks of 60-80 ms (bench/browser.py). There it also keeps the Python runtime
// that was just used (from the HTTP cache, no second download).
const OFFLINE_COPY_DELAY_MS = 3000;

function registerServiceWorker() {
  return navigator.serviceWorker.register(new URL("../sw.js", import.meta.url)).then((registration) => {
    watchForUpdates(registration);
    return registration;
  });
}

async function keepToolForOffline() {
  await registerServiceWorker();
  const registration = await navigator.serviceWorker.ready;
  registration.active?.postMessage({ type: "cache-runtime" });
}

// A new version of the site, installed and waiting: its service worker has already copied (or
// downloaded) everything the old one kept, and takes over when the visitor says so. The notice is
// a live region at the top of the page's content (in the flow: it covers nothing, even on a phone),
// there from the start so that screen readers announce what appears in it. The button asks the
// waiting worker to take over, and the page reloads once it has (the worker's "controllerchange").
let updateRegion = null;
let reloadWhenSwitched = false;
const watched = new WeakSet();

function ensureUpdateRegion() {
  if (updateRegion?.isConnected) return updateRegion;
  const content = document.querySelector(".md-content__inner") ?? document.querySelector("main");
  if (!content) return null;
  updateRegion = document.createElement("div");
  updateRegion.className = "kz-update";
  updateRegion.setAttribute("role", "status");
  content.prepend(updateRegion);
  return updateRegion;
}

function offerUpdate(registration) {
  const region = ensureUpdateRegion();
  if (!region || region.querySelector("button")) return;
  const text = document.createElement("p");
  text.textContent = "新しい版があります。";
  const button = document.createElement("button");
  button.type = "button";
  button.className = "md-button md-button--primary";
  button.textContent = "新しい版を読み込む";
  button.addEventListener("click", () => {
    button.disabled = true;
    button.textContent = "読み込んでいます…";
    const waiting = registration.waiting;
    if (waiting && navigator.serviceWorker.controller !== waiting) {
      reloadWhenSwitched = true;
      waiting.postMessage({ type: "skip-waiting" });
    } else {
      location.reload(); // it has taken over already (from another tab)
    }
  });
  region.append(text, button);
}

function watchForUpdates(registration) {
  if (!registration || watched.has(registration)) return;
  watched.add(registration);
  ensureUpdateRegion();
  // only a worker that follows one already in charge is an update (the first one just installs)
  const offer = () => {
    if (registration.waiting && navigator.serviceWorker.controller) offerUpdate(registration);
  };
  const follow = (worker) =>
    worker?.addEventListener("statechange", () => {
      if (worker.state === "installed") offer();
    });
  offer();
  follow(registration.installing); // an update that began before this page's script ran
  registration.addEventListener("updatefound", () => follow(registration.installing));
}

if ("serviceWorker" in navigator && location.protocol.startsWith("http")) {
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (reloadWhenSwitched) location.reload();
  });
  navigator.serviceWorker
    .getRegistration()
    .then(watchForUpdates)
    .catch(() => {});
  const quietly = (register) => () =>
    register().catch(() => {
      /* the site works the same without it, only not offline */
    });
  if (document.querySelector('meta[name="kz-runtime"]')) {
    const keep = quietly(keepToolForOffline);
    document.addEventListener(
      "kz:started",
      () => {
        if (document.body.dataset.kzReady !== "1") return; // Python did not start: nothing to keep
        setTimeout(() => ("requestIdleCallback" in window ? requestIdleCallback(keep, { timeout: 5000 }) : keep()), OFFLINE_COPY_DELAY_MS);
      },
      { once: true },
    );
  } else if (document.readyState === "complete") {
    quietly(registerServiceWorker)();
  } else {
    window.addEventListener("load", quietly(registerServiceWorker), { once: true });
  }
}

// Material exposes document$ (an observable of page loads, also after instant navigation).
if (window.document$ && typeof window.document$.subscribe === "function") {
  window.document$.subscribe(onPage);
} else {
  document.addEventListener("DOMContentLoaded", onPage);
}
