// A Worker for pages opened from files (the offline copy on office PCs), where Chromium refuses
// real workers. Material's search runs its worker through this; nothing else uses it.
//
// It does what npm's iframe-worker shim does (MIT, squidfunk), without its inline script: the shim
// writes a <script> with the worker's globals into a hidden frame, which the pages' Content-Security-
// Policy rightly blocks. Here the globals (postMessage, importScripts) are given to the frame from
// this side, and the worker's own file is loaded as an ordinary script from the site.
(() => {
  class FileWorker extends EventTarget {
    constructor(url) {
      super();
      this.url = String(url);
      this.onmessage = null;
      this.onerror = null;
      const frame = document.createElement("iframe");
      frame.hidden = true;
      document.body.append(frame);
      this.frame = frame;
      const scope = frame.contentWindow;
      // what the worker posts arrives here as a message event, as from a real worker
      scope.postMessage = (data) => {
        const event = new MessageEvent("message", { data: structuredClone(data) });
        this.dispatchEvent(event);
        this.onmessage?.(event);
      };
      scope.importScripts = (...urls) =>
        urls.reduce((done, src) => done.then(() => this.load(src)), Promise.resolve());
      scope.addEventListener("error", (event) => {
        const error = new ErrorEvent("error", { message: event.message, filename: this.url, error: event.error });
        this.dispatchEvent(error);
        this.onerror?.(error);
      });
      this.ready = this.load(`${this.url}?${Date.now()}`);
    }

    load(src) {
      return new Promise((resolve, reject) => {
        const doc = this.frame.contentWindow.document;
        const script = doc.createElement("script");
        script.src = src;
        script.addEventListener("load", resolve, { once: true });
        script.addEventListener("error", reject, { once: true });
        (doc.body ?? doc.documentElement).append(script);
      });
    }

    postMessage(data) {
      this.ready
        .catch(() => {})
        .then(() => this.frame.contentWindow?.dispatchEvent(new MessageEvent("message", { data: structuredClone(data) })));
    }

    terminate() {
      this.frame.remove();
    }
  }

  window.IFrameWorker = FileWorker;
  if (location.protocol === "file:") window.Worker = FileWorker;
})();
