{% load static %}/* The field app's service worker (issue 21): Workbox, vendored; the page is served
network first (the last copy offline), the static files cache first. Nothing of a child's
data is cached here: the page keeps it encrypted in IndexedDB. */
importScripts(
  "{% static 'field/vendor/workbox/workbox-core.prod.js' %}",
  "{% static 'field/vendor/workbox/workbox-routing.prod.js' %}",
  "{% static 'field/vendor/workbox/workbox-strategies.prod.js' %}"
);
const PAGES = "cpims-field-pages";
const STATIC = "cpims-field-static";
const SHELL = [
  "/field/",
  "{% static 'field/app.js' %}",
  "{% static 'field/vendor/idb/umd.js' %}",
  "{% static 'django_htmx/htmx-2.min.js' %}",
  "{% static 'cpims/app.js' %}",
];
self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(PAGES).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting())
  );
});
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));
self.addEventListener("message", (event) => {
  if (event.data === "wipe") {
    event.waitUntil(caches.delete(PAGES));
  }
});
workbox.routing.registerRoute(
  ({ request, url }) => request.mode === "navigate" && url.pathname === "/field/",
  new workbox.strategies.NetworkFirst({ cacheName: PAGES, networkTimeoutSeconds: 4 })
);
workbox.routing.registerRoute(
  ({ url }) => url.pathname.startsWith("{% get_static_prefix %}"),
  new workbox.strategies.CacheFirst({ cacheName: STATIC })
);
