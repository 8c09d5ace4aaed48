// Small enhancements for content pages. Everything here is optional: without JavaScript the
// pages work as they are (the council filter uses plain links and CSS :target).

function enhanceCouncilSelect() {
  const select = document.querySelector("[data-kz-pref-select]");
  if (!select || select.dataset.kzReady) return;
  select.dataset.kzReady = "1";
  const current = location.hash.replace("#", "");
  if (current.startsWith("pref-")) select.value = current;
  select.addEventListener("change", () => {
    // Assigning the hash (not replaceState) is what updates CSS :target.
    location.hash = select.value || "kz-councils";
    select.focus();
  });
}

function onPage() {
  enhanceCouncilSelect();
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
