// 経営改善計画策定支援ナビ — service worker (installed app and offline use at seminars).
// The build fills VERSION, PRECACHE, RUNTIME and DIGESTS (see hooks/kaizen_site.py). Pages and
// their assets are cached on install; the Python runtime is cached once a tool page has used it.
// Every file goes to the network first, so an online visitor always gets the current site; the
// copy answers when the network fails or is too slow. Nothing is ever sent anywhere by this file.
//
// Updates never leave a copy worse offline than it was: a new build's worker fills its own caches
// before it takes over, with every page of its build and, if the old copy held the Python runtime,
// the whole runtime too. Files whose content has not changed are copied from the old caches (they
// are checked against the build's digests, since most names stay the same from build to build);
// the others are downloaded. Only then, once the visitor has chosen to switch (「新しい版があります」
// on the page, docs/assets/site.js), does it delete the old caches.
const VERSION = "__VERSION__";
const PRECACHE = __PRECACHE__;
const RUNTIME = __RUNTIME__;
// SHA-256 (hex) of each file above as this build wrote it, by its path.
const DIGESTS = __DIGESTS__;
const PREFIX = "kaizen-navi-";
const CACHE = `${PREFIX}${VERSION}`;
// The runtime has its own cache: it is filled later (after a tool page's first result), and never
// in the same batch as the pages.
const RUNTIME_CACHE = `${PREFIX}runtime-${VERSION}`;
const OURS = [CACHE, RUNTIME_CACHE];
let installed = Promise.resolve();

const address = (path) => new URL(path, self.registration.scope).href;
let digestOf = null; // absolute URL → this build's digest
function expectedDigest(url) {
  digestOf ??= new Map(Object.entries(DIGESTS).map(([path, digest]) => [address(path), digest]));
  return digestOf.get(url);
}

async function sha256(response) {
  const bytes = await response.arrayBuffer();
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

// Other builds' caches (older ones, or a newer one already waiting), newest first.
async function otherCaches() {
  const names = (await caches.keys()).filter((name) => name.startsWith(PREFIX) && !OURS.includes(name));
  return names.reverse();
}

async function heldRuntime(names) {
  for (const name of names.filter((n) => n.startsWith(`${PREFIX}runtime-`))) {
    if ((await (await caches.open(name)).keys()).length) return true;
  }
  return false;
}

// Puts every one of `paths` into the cache `target` that is not there yet: a copy from another
// build's cache if it is byte for byte this build's file; the others downloaded together, all or
// none (Cache.addAll: a copy is never seen half made), revalidated (the HTTP cache may still hold
// the previous build's file under the same name) and tried again after a network error (a venue's
// Wi-Fi drops some). Rejects if any file could not be had: the caller then keeps what it has.
const TRIES = 3;

async function fill(target, paths, others) {
  const cache = await caches.open(target);
  const have = new Set((await cache.keys()).map((request) => request.url));
  const olds = await Promise.all(others.map((name) => caches.open(name)));
  const missing = [];
  for (const url of paths.map(address).filter((url) => !have.has(url))) {
    let copied = false;
    for (const old of olds) {
      const kept = await old.match(url);
      if (kept?.ok && (await sha256(kept.clone())) === expectedDigest(url)) {
        await cache.put(url, kept);
        copied = true;
        break;
      }
    }
    if (!copied) missing.push(url);
  }
  for (let attempt = 1; missing.length; attempt += 1) {
    try {
      await cache.addAll(missing.map((url) => new Request(url, { cache: "no-cache" })));
      return;
    } catch (error) {
      if (attempt >= TRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    }
  }
}

// Fills this build's caches from the other builds' and the network: its pages, and its runtime
// whenever any other build's cache held a runtime. Then, at activation, deletes the other builds'
// caches, only if that succeeded (nothing they held is lost) and no newer build's worker is on its
// way (its caches are its own; they go when it takes over).
async function adopt({ deleteOthers }) {
  const others = await otherCaches();
  await fill(CACHE, PRECACHE, others);
  if (await heldRuntime(others)) await fill(RUNTIME_CACHE, RUNTIME, others);
  if (!deleteOthers || self.registration.installing || self.registration.waiting) return;
  await Promise.all(others.map((name) => caches.delete(name)));
}

self.addEventListener("install", (event) => {
  // A first install (no copy yet) takes over at once; an update waits for the visitor (the page
  // offers 「新しい版があります」) or for every tab of the old version to close.
  installed = adopt({ deleteOthers: false });
  event.waitUntil(installed);
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    adopt({ deleteOthers: true })
      .catch(() => {
        // offline at the switch, and the old copy gained something since our install: the old
        // caches stay (copyOf still finds their files), until the next build's worker takes over
      })
      // a page's request starts while this worker is still starting (a returning visitor's first page)
      .then(() => self.registration.navigationPreload?.enable())
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("message", (event) => {
  const type = event.data?.type;
  if (type === "skip-waiting") {
    event.waitUntil(self.skipWaiting());
  } else if (type === "cache-runtime") {
    event.waitUntil(
      installed
        .catch(() => {})
        .then(async () => fill(RUNTIME_CACHE, RUNTIME, await otherCaches())),
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
  // ours first; then any other build's (a file of a newer build waiting, or of an older one whose
  // caches an offline switch kept)
  for (const name of OURS) {
    const cached = await (await caches.open(name)).match(request, { ignoreSearch: true });
    if (cached) return cached;
  }
  const cached = await caches.match(request, { ignoreSearch: true });
  if (cached || !orHome || request.mode !== "navigate") return cached;
  return caches.match(address("./")); // offline: at least the home page
}

function offline() {
  return new Response("オフラインのため表示できません。", {
    status: 503,
    headers: { "Content-Type": "text/plain; charset=utf-8" },
  });
}

// A page or asset fetched from the network goes into our copy only if it is this build's file. A
// different one means a newer build is out: it is not mixed into this copy (its pages would ask for
// runtime files this copy does not hold); the browser is asked to look for the new worker instead,
// which brings a complete copy of its own.
async function keep(url, response) {
  const expected = expectedDigest(url);
  if (!expected) return;
  if ((await sha256(response.clone())) === expected) {
    await (await caches.open(CACHE)).put(url, response);
  } else {
    await self.registration.update();
  }
}

/**
 * @param {FetchEvent} event
 * @param {{ keepIt: boolean, patienceMs: number, preloaded?: Promise<any> | null }} options
 */
function networkFirst(event, { keepIt, patienceMs, preloaded = null }) {
  const request = event.request;
  const network = (preloaded ?? Promise.resolve(undefined)).then((early) => early ?? fetch(request));
  const kept = network.then((response) => {
    if (keepIt && response.ok && response.type === "basic") {
      const url = new URL(request.url);
      url.search = "";
      url.hash = "";
      return keep(url.href, response.clone());
    }
    return undefined;
  });
  // the copy is written within the event's lifetime, even when the copy answered first
  event.waitUntil(kept.catch(() => {}));
  network.catch(() => {}); // when the copy has answered, a late network failure is no error
  const patience = new Promise((resolve) => setTimeout(resolve, patienceMs, null));
  return (async () => {
    try {
      const response = await Promise.race([network, patience]);
      if (response) return response;
      return (await copyOf(request)) ?? (await network); // slow, and no copy: wait for the network
    } catch {
      return (await copyOf(request, { orHome: true })) ?? offline();
    }
  })();
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  const runtime = RUNTIME_FILE.test(url.pathname);
  event.respondWith(
    networkFirst(event, {
      keepIt: !runtime,
      patienceMs: runtime ? RUNTIME_PATIENCE_MS : PAGE_PATIENCE_MS,
      preloaded: request.mode === "navigate" ? event.preloadResponse : null,
    }),
  );
});
