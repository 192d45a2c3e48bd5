/**
 * The service worker: keeps the app shell (the page and every built asset) in Cache Storage,
 * so a reload works while the tracker, which also serves the page, is down; the node's chain
 * and wallet are in IndexedDB already. Pages: network first, the cached shell when the
 * network fails. Built assets (content-hashed names): cache first. Signalling (`/socket.io/`),
 * `/healthz` and `/metrics` are never cached. The build (vite.config.ts) replaces the two
 * placeholders below with the list of built files and a version derived from their names.
 */
const sw = self as unknown as ServiceWorkerGlobalScope;

const PRECACHE = JSON.parse('__TABCOIN_PRECACHE__') as string[];
const CACHE = 'tabcoin-shell-__TABCOIN_VERSION__';
/** Never served from the cache: live endpoints of the tracker. */
const LIVE = /\/(socket\.io\/|healthz$|metrics$)/;
/** The page a navigation falls back to. */
const SHELL = './';

sw.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE))
      .then(() => sw.skipWaiting()),
  );
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys
            .filter((k) => k.startsWith('tabcoin-shell-') && k !== CACHE)
            .map((k) => caches.delete(k)),
        ),
      )
      .then(() => sw.clients.claim()),
  );
});

sw.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== sw.location.origin || LIVE.test(url.pathname))
    return;
  if (request.mode === 'navigate') {
    event.respondWith(
      fetch(request).catch(async () => {
        const cache = await caches.open(CACHE);
        return (
          (await cache.match(request, { ignoreSearch: true })) ??
          (await cache.match(SHELL)) ??
          Response.error()
        );
      }),
    );
    return;
  }
  event.respondWith(
    caches.open(CACHE).then(async (cache) => {
      const hit = await cache.match(request);
      if (hit) return hit;
      const response = await fetch(request);
      if (response.ok) void cache.put(request, response.clone());
      return response;
    }),
  );
});
