// 経営改善計画策定支援ナビ — service worker (installed app and offline use at seminars).
// The build fills VERSION, PRECACHE and RUNTIME (see hooks/kaizen_site.py). Pages and their
// assets are cached on install; the Python runtime is cached once a tool page has used it.
// Every file goes to the network first, so an online visitor always gets the current site; the
// copy answers when the network fails or is too slow. Nothing is ever sent anywhere by this file.
const VERSION = "__VERSION__";
const PRECACHE = __PRECACHE__;
const RUNTIME = __RUNTIME__;
const CACHE = `kaizen-navi-${VERSION}`;
// The runtime has its own cache: it is filled later (after a tool page's first result), and never
// in the same batch as the pages.
const RUNTIME_CACHE = `kaizen-navi-runtime-${VERSION}`;
let installed = Promise.resolve();

self.addEventListener("install", (event) => {
  installed = caches
    .open(CACHE)
    .then((cache) => cache.addAll(PRECACHE))
    .then(() => self.skipWaiting());
  event.waitUntil(installed);
});

self.addEventListener("activate", (event) => {
  const current = [CACHE, RUNTIME_CACHE];
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name.startsWith("kaizen-navi-") && !current.includes(name)).map((name) => caches.delete(name))))
      // a page's request starts while this worker is still starting (a returning visitor's first page)
      .then(() => self.registration.navigationPreload?.enable())
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("message", (event) => {
  if (event.data?.type === "cache-runtime") {
    event.waitUntil(
      installed
        .then(() => caches.open(RUNTIME_CACHE))
        .then(async (cache) => {
          const kept = new Set((await cache.keys()).map((request) => request.url));
          const missing = RUNTIME.filter((path) => !kept.has(new URL(path, self.registration.scope).href));
          await cache.addAll(missing);
        }),
    );
  }
});

// The network first (which for a returning visitor means the browser's own HTTP cache); our copy
// when the network fails, or has not begun to answer in time (a venue's weak Wi-Fi).
// The Python runtime's files are not copied again on every visit: their names do not change within
// a build (a new build brings a new service worker and new caches), and answering them from our
// copy first was measured slower (bench/browser.py: 1.2-1.4 times the bare page on a second visit,
// against about 1.0 through the HTTP cache).
const RUNTIME_FILE = /\/runtime\/(?:(?:pyodide|pyscript|wheels)\/|(?:kaizen|worker)-[0-9a-f]{12}\.(?:zip|py)$)/;
// How long the network may take to begin answering before our copy does: pages could have changed
// since they were copied, the runtime's files cannot (same build), and Python's start waits on
// several of them in turn.
const PAGE_PATIENCE_MS = 3000;
const RUNTIME_PATIENCE_MS = 1000;

async function copyOf(request, { orHome = false } = {}) {
  const cached = await caches.match(request, { ignoreSearch: true });
  if (cached || !orHome || request.mode !== "navigate") return cached;
  return caches.match(new URL("./", self.registration.scope).href); // offline: at least the home page
}

function offline() {
  return new Response("オフラインのため表示できません。", {
    status: 503,
    headers: { "Content-Type": "text/plain; charset=utf-8" },
  });
}

async function networkFirst(request, { keep, patienceMs, preloaded = null }) {
  const network = (preloaded ?? Promise.resolve(undefined)).then((early) => early ?? fetch(request)).then((response) => {
    if (keep && response.ok && response.type === "basic") {
      const copy = response.clone();
      caches.open(CACHE).then((cache) => cache.put(request, copy));
    }
    return response;
  });
  network.catch(() => {}); // when the copy has answered, a late network failure is no error
  const patience = new Promise((resolve) => setTimeout(resolve, patienceMs, null));
  try {
    const response = await Promise.race([network, patience]);
    if (response) return response;
    return (await copyOf(request)) ?? (await network); // slow, and no copy: wait for the network
  } catch {
    return (await copyOf(request, { orHome: true })) ?? offline();
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  const runtime = RUNTIME_FILE.test(url.pathname);
  event.respondWith(
    networkFirst(request, {
      keep: !runtime,
      patienceMs: runtime ? RUNTIME_PATIENCE_MS : PAGE_PATIENCE_MS,
      preloaded: request.mode === "navigate" ? event.preloadResponse : null,
    }),
  );
});
