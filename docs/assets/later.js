// Material's bundle, later (every page; overrides/main.html, hooks/speed.py).
//
// The build writes Material's bundle as `<script type="text/plain" data-kz-later src=…>`, which the
// browser does not run. The page is complete without it: the text, every link, the menu and the
// search dialog (CSS only), the site's own script (site.js). The bundle adds the rest (the search
// itself, the table of contents that follows the reading, the header's title, back to top), and its
// start is one long task (on a phone, 100-300 ms with the page's first layout) that would block a
// reader's first tap. So it is loaded here when the visitor first reaches for the page: a tap or
// click, a key, focus, scrolling. On tool pages it also waits for Python: after the first result
// (app.mjs says "kz:started"), or the header, navigation or search being used, or a key outside the
// form, or 10 seconds; on a phone or an old two-core PC it would otherwise slow Python's start by a
// third, and for about a second after the first result the browser is still optimising Python's
// WebAssembly (the bundle's start, run then, took 55-70 ms in one task instead of under 50).
// Opened from a file (the offline copy), or from a search result (which it marks on the page), it
// loads at once.
//
// Material's search keys (/, s, f) pressed before the bundle has started open the search dialog and
// focus its field here, so that the key is not lost; Material takes over when it starts, and the
// search index is loaded then (hooks/speed.py).
//
// The build publishes this file joined after site-age.js as assets/page.js (hooks/speed.py), the
// one script a page asks for before its first paint besides site.js; Material's own small scripts
// (its storage helpers, moved out of the page by hooks/csp.py) are loaded here with its bundle.
// On a slow phone line every request made while the style sheets load takes a share of the line
// and delays the text (Lighthouse's LCP counts every request that ended before the text was
// painted). For the same reason the web app manifest is linked from here once the page has been
// painted, not from the page's head: nothing needs it before (Chrome reads a manifest linked
// later the same way; installing the app needs the service worker too, which site.js registers
// after the page's load).
(() => {
  let done = false;
  const script = document.currentScript;
  // after the first paint (the browser reports it once it is on the screen), or the page's load
  // where paint timing is not reported
  const afterFirstPaint = (/** @type {() => void} */ then) => {
    const later = () => setTimeout(then, 0);
    if (typeof PerformanceObserver === "undefined" || !PerformanceObserver.supportedEntryTypes?.includes("paint")) {
      if (document.readyState === "complete") return later();
      return window.addEventListener("load", later, { once: true });
    }
    const observer = new PerformanceObserver((list) => {
      if (!list.getEntriesByName("first-contentful-paint").length) return;
      observer.disconnect();
      later();
    });
    observer.observe({ type: "paint", buffered: true });
  };
  if (script instanceof HTMLScriptElement && location.protocol.startsWith("http")) {
    afterFirstPaint(() => {
      if (document.querySelector('link[rel="manifest"]')) return;
      const link = document.createElement("link");
      link.rel = "manifest";
      link.href = new URL("../manifest.webmanifest", script.src).href;
      document.head.append(link);
    });
  }
  const tool = document.querySelector('meta[name="kz-runtime"]') !== null;
  // Material's two marks on <html>, set as it would set them (tool pages set them in their head):
  // "js" instead of "no-js" (the search field shows) and the focus-visible polyfill's. Set when
  // the bundle starts, either one would restyle the whole page in one long task.
  const root = document.documentElement;
  root.classList.replace("no-js", "js");
  root.classList.add("js-focus-visible");
  root.setAttribute("data-js-focus-visible", "");
  // Material mounts its page components (content, table of contents, header, navigation) when its
  // document$ emits, which it does on DOMContentLoaded; a bundle started after that event would
  // mount only the search and the dialogs. So on content pages it is given the document once it
  // has run. Tool pages are left as they have been (their results are rebuilt by app.mjs, and
  // Material's content component would wrap their tables and add a long task after the first
  // result; they have no table of contents to follow).
  let contentLoaded = false;
  document.addEventListener("DOMContentLoaded", () => (contentLoaded = true), { once: true });
  const started = () => {
    const document$ = /** @type {{ next?: (d: Document) => void } | undefined} */ (/** @type {any} */ (window).document$);
    if (!tool && contentLoaded && typeof document$?.next === "function") document$.next(document);
  };
  const load = () => {
    if (done) return;
    done = true;
    for (const later of document.querySelectorAll("script[data-kz-later]")) {
      const script = document.createElement("script");
      script.src = /** @type {HTMLScriptElement} */ (later).src;
      script.async = false; // in document order, as written
      if (/\/bundle\.[0-9a-f]+\.min\.js$/.test(script.src)) script.addEventListener("load", started, { once: true });
      // into the head, so that nothing in the body changes (nothing there is restyled)
      later.removeAttribute("data-kz-later");
      document.head.append(script);
    }
  };
  // from a file, at once; and on a page opened from a search result (?h=), whose query it marks
  if (location.protocol === "file:" || new URLSearchParams(location.search).has("h")) return load();

  /** @param {KeyboardEvent} event */
  const searchKey = (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || !["/", "s", "f"].includes(event.key)) return;
    const target = event.target;
    if (target instanceof Element && target.closest("input, textarea, select, [contenteditable]")) return;
    const toggle = document.getElementById("__search");
    const input = document.querySelector("input.md-search__input");
    if (!(toggle instanceof HTMLInputElement) || !(input instanceof HTMLInputElement)) return;
    event.preventDefault();
    toggle.checked = true;
    input.focus();
  };

  /** @param {Event} event */
  const reach = (event) => {
    const target = event.target;
    if (event.type === "keydown" && !done) searchKey(/** @type {KeyboardEvent} */ (event));
    if (!tool) return load();
    if (!(target instanceof Element)) return;
    if (target.closest(".md-header, .md-tabs, .md-sidebar, .md-search, .md-footer")) load();
    else if (event.type === "keydown" && !target.closest("#kz-tool")) load();
  };
  const options = { capture: true, passive: false };
  for (const type of ["pointerdown", "focusin", "keydown"]) document.addEventListener(type, reach, options);
  if (tool) {
    // after the first result has been laid out and painted, and the browser's background work on
    // Python's code is done: the bundle then finds a settled page
    document.addEventListener("kz:started", () => requestAnimationFrame(() => setTimeout(load, 1500)), { once: true });
    setTimeout(load, 10000);
  } else {
    window.addEventListener("scroll", load, { once: true, passive: true });
  }
})();
