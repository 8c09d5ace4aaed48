// 経営改善計画策定支援ナビ — service worker (installed app and offline use at seminars).
// The build fills VERSION, PRECACHE and RUNTIME (see hooks/kaizen_site.py). Pages and their
// assets are cached on install; the Python runtime is cached once a tool page has used it.
// Every request goes to the network first, so an online visitor always gets the current site;
// without a network the cached copy answers. Nothing is ever sent anywhere by this file.
const VERSION = "__VERSION__";
const PRECACHE = __PRECACHE__;
const RUNTIME = __RUNTIME__;
const CACHE = `kaizen-navi-${VERSION}`;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name.startsWith("kaizen-navi-") && name !== CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("message", (event) => {
  if (event.data?.type === "cache-runtime") {
    event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(RUNTIME)));
  }
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
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
