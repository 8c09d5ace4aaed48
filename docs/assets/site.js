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

// The installed app and offline use (seminars without Wi-Fi): a service worker, only over http(s).
// It is registered once the page has loaded, so that its install (which copies the site's pages)
// never competes with the page itself. Tool pages register it from app.mjs a few seconds after
// their first live result, and have it keep the Python runtime too.
if ("serviceWorker" in navigator && location.protocol.startsWith("http") && !document.querySelector('meta[name="kz-runtime"]')) {
  const register = () =>
    navigator.serviceWorker.register(new URL("../sw.js", import.meta.url)).catch(() => {
      /* the site works the same without it, only not offline */
    });
  if (document.readyState === "complete") register();
  else window.addEventListener("load", register, { once: true });
}

// Material exposes document$ (an observable of page loads, also after instant navigation).
if (window.document$ && typeof window.document$.subscribe === "function") {
  window.document$.subscribe(onPage);
} else {
  document.addEventListener("DOMContentLoaded", onPage);
}
