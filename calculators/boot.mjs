// The tool pages' Pyodide: the shipped pyodide.mjs, started from the build's memory snapshot.
// PyScript's `interpreter` points here (runtime/pyodide/kaizen-boot.mjs, beside pyodide.mjs, so
// PyScript's index URL stays the same) and calls loadPyodide() as it would Pyodide's own.
//
// Starting Python from nothing (about 1.7 s of the 2.4 s to a tool's first live result on a
// two-core PC) runs the same start-up for every visitor; the snapshot is Python's memory right after
// that start, with the standard-library modules the tools need already imported
// (scripts/pyodide_snapshot.mjs). Restoring it takes about 0.3 s. It costs a 6.5 MB download
// (gzip; Pyodide itself is 12 MB), fetched alongside Pyodide and kept for offline use like it.
// Pyodide's snapshot options are private (underscored) and checked against its build: if anything
// fails (no DecompressionStream, a missing or damaged file, another Pyodide build, more memory than
// Pyodide starts with), Python starts the normal way and the page works as before, only slower
// (tests/browser/test_runtime_files.py spoils the snapshot each of these ways). The build stops
// before it ships a snapshot too large to restore (hooks/runtime.py check_snapshot_fits). The
// worker's global `kaizenBoot` says which way it started (for the browser tests).
import { loadPyodide as startPyodide, version } from "./pyodide.mjs";

export { version };

const SNAPSHOT = new URL("__SNAPSHOT__", import.meta.url);

async function snapshotBytes() {
  const response = await fetch(SNAPSHOT);
  if (!response.ok) throw new Error(`${SNAPSHOT.pathname}: HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes; // a server that already decoded it
  const inflated = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(inflated).arrayBuffer());
}

// Fetched as soon as PyScript imports this module, in parallel with Pyodide's own files.
const snapshot = typeof DecompressionStream === "function" ? snapshotBytes() : Promise.reject(new Error("no DecompressionStream"));
snapshot.catch(() => {}); // reported below, when it is used

export async function loadPyodide(options = {}) {
  try {
    const pyodide = await startPyodide({ ...options, _loadSnapshot: snapshot });
    // Restored, Python would repeat the build's random numbers, and Pyodide's start adds "" to
    // sys.path a second time.
    pyodide.runPython("import random as _r, sys as _s\n_r.seed()\n_s.path[:] = dict.fromkeys(_s.path)\ndel _r, _s");
    globalThis.kaizenBoot = "snapshot";
    return pyodide;
  } catch (error) {
    globalThis.kaizenBoot = `normal start (snapshot: ${error instanceof Error ? error.message : error})`;
    console.warn("kaizen: Python starts without its snapshot:", error);
    return startPyodide(options);
  }
}
