// Types for tsc over calculators/sw.js (tsconfig.worker.json): the service worker's scope, and
// the placeholders the build fills (hooks/kaizen_site.py writes JSON in their place).
declare const __PRECACHE__: string[];
declare const __RUNTIME__: string[];
declare const __DIGESTS__: Record<string, string>;

// sw.js runs as a service worker: its `self` is a ServiceWorkerGlobalScope.
interface WorkerGlobalScope {
  readonly registration: ServiceWorkerRegistration;
  readonly clients: Clients;
  skipWaiting(): Promise<void>;
}
interface WorkerGlobalScopeEventMap {
  install: ExtendableEvent;
  activate: ExtendableEvent;
  fetch: FetchEvent;
  message: ExtendableMessageEvent;
}
