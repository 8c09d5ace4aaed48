// 経営改善計画策定支援ナビ — service worker (installed app and offline use at seminars).
// The build fills VERSION, PRECACHE and RUNTIME (see hooks/kaizen_site.py). Pages and their
// assets are cached on install; the Python runtime is cached once a tool page has used it.
// Pages and other files go to the network first, so an online visitor always gets the current
// site; without a network the cached copy answers. Nothing is ever sent anywhere by this file.
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

// The Python runtime's files (the npm packages' files, the wheels, our package and worker). Online,
// the network answers them, which means the browser's HTTP cache for a returning visitor: measured
// with bench/browser.py, that starts Python as fast as a page without a service worker, while
// answering from our copy first took 1.2-1.4 times as long. Our copy (kept once, see "message")
// answers when the network fails. They are not copied again on every visit: their names do not
// change within a build, and a new build brings a new service worker and a new cache.
const RUNTIME_FILE = /\/runtime\/(?:(?:pyodide|pyscript|wheels)\/|(?:kaizen|worker)-[0-9a-f]{12}\.(?:zip|py)$)/;

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (RUNTIME_FILE.test(url.pathname)) {
    event.respondWith(fetch(request).catch(async () => (await caches.match(request)) ?? Response.error()));
    return;
  }
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok && response.type === "basic") {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(request, copy));
        }
        return response;
      })
      .catch(async () => {
        const cached = await caches.match(request, { ignoreSearch: true });
        if (cached) return cached;
        if (request.mode === "navigate") {
          const home = await caches.match(new URL("./", self.registration.scope).href);
          if (home) return home;
        }
        return new Response("オフラインのため表示できません。", {
          status: 503,
          headers: { "Content-Type": "text/plain; charset=utf-8" },
        });
      }),
  );
});
