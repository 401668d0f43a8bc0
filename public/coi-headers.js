// Imported at the top of the app's service worker (vite.config.ts, workbox importScripts). A static
// host sends no COOP/COEP headers, so the page could not share memory with its step threads; this
// answers every same-origin GET itself, from the precache first and the network after, and adds
// those two headers, so from the second visit on the page is cross-origin isolated wherever it is
// hosted. (The first visit is not: the worker does not control the page that installed it, and the
// page is never reloaded for this, so nothing the visitor did is lost.)
const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

function isolated(response) {
  // Opaque and error responses cannot be rebuilt; they are passed on as they are.
  if (!response || response.status === 0 || response.type === 'opaque') return response;
  const headers = new Headers(response.headers);
  for (const [k, v] of Object.entries(ISOLATION)) headers.set(k, v);
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

async function answer(request) {
  // Navigations get the app's page (the precache stores it as index.html).
  const key =
    request.mode === 'navigate' ? new URL('index.html', self.registration.scope) : request;
  // As Workbox matches its precache: a Vary header from the host must not hide an entry.
  const cached = await caches.match(key, { ignoreSearch: true, ignoreVary: true });
  if (cached) return isolated(cached);
  return isolated(await fetch(request));
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(answer(request));
  // Workbox's own listener would try to answer the same request.
  event.stopImmediatePropagation();
});
