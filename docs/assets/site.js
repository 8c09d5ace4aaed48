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
  return navigator.serviceWorker.register(new URL("../sw.js", import.meta.url));
}

async function keepToolForOffline() {
  await registerServiceWorker();
  const registration = await navigator.serviceWorker.ready;
  registration.active?.postMessage({ type: "cache-runtime" });
}

if ("serviceWorker" in navigator && location.protocol.startsWith("http")) {
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
