// The kiosk's service worker: it keeps the kiosk shell (the /kiosk/ page, its CSS and scripts, the
// vendored Socket.IO, jsQR and QR generator), so a kiosk rebooted during an outage still opens and
// queues scans. Network first for the shell, the cache only when the network fails; API calls,
// Socket.IO and everything else are never touched, never cached.
const VERSION = "__VERSION__";
const CACHE = "leifeng-kiosk-shell";
const SHELL = __SHELL__;
const NETWORK_WAIT_MS = 4000;  // a hanging network falls back to the kept shell after this
const PAGE = SHELL[0];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL.map((u) => new Request(u, { cache: "no-store" }))))
    .then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) if (name !== CACHE) await caches.delete(name);
    // Drop what an older shell listed and this one does not.
    const cache = await caches.open(CACHE);
    const keep = new Set(SHELL.map((u) => new URL(u, self.location.origin).href));
    for (const req of await cache.keys()) if (!keep.has(req.url)) await cache.delete(req);
    await self.clients.claim();
  })());
});

function shellKey(request) {
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || request.method !== "GET") return null;
  if (url.pathname.startsWith("/api/") || url.pathname.startsWith("/socket.io/")) return null;
  if (request.mode === "navigate") return url.pathname === PAGE ? PAGE : null;
  return SHELL.includes(url.pathname) && !url.search ? url.pathname : null;
}

self.addEventListener("fetch", (event) => {
  const key = shellKey(event.request);
  if (!key) return; // the browser does as it always does
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    const network = fetch(event.request).then((res) => {
      if (res.ok && res.type === "basic") cache.put(key, res.clone()).catch(() => {});
      return res;
    });
    network.catch(() => {});
    const late = new Promise((resolve) => setTimeout(resolve, NETWORK_WAIT_MS, null));
    try {
      const first = await Promise.race([network, late]);
      if (first && first.status >= 500) return (await cache.match(key)) || first; // a proxy with no server behind
      if (first) return first;
      const kept = await cache.match(key);
      return kept || await network;
    } catch (e) {
      const kept = await cache.match(key);
      if (kept) return kept;
      throw e;
    }
  })());
});
