// A memory snapshot of the Pyodide the site ships, started and with the worker's standard-library
// modules already imported, gzip-compressed: the tool pages restore it instead of starting Python
// from nothing (calculators/boot.mjs), which on a two-core PC takes about 0.3 s instead of 1.7 s.
//
//   TZ=Asia/Tokyo node scripts/pyodide_snapshot.mjs < {"modules": ["fractions", ...]} > snapshot (gzip)
//
// A snapshot is Python's whole memory, so what Python computed once at start is restored as it
// was here, for every visitor: the build runs this in Japan's time zone (time.tzname; dates
// themselves always come from the visitor's clock), drops Node's "_" variable from os.environ, and
// the page reseeds `random` after restoring. It holds no reference to any JavaScript object (Pyodide
// refuses to make one otherwise), so it needs nothing from Node.
// Pyodide's snapshot options are private (underscored); the page falls back to a normal start
// whenever restoring fails, and the snapshot records Pyodide's build, which it checks on restoring.
// Pyodide restores a snapshot by copying it over its WebAssembly memory before that memory can
// grow, so the memory here must not grow past the size it starts with (30 MiB for Pyodide 314.0.7;
// it is exactly that today): hooks/runtime.py check_snapshot_fits stops the build otherwise
// (Pyodide issue 6254). Import less here, or nothing large, to stay within it.
// Called by hooks/runtime.py at build time; the result is cached in build/ by the inputs' hash.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const root = fileURLToPath(new URL("../", import.meta.url));
const { loadPyodide } = await import(`${root}node_modules/pyodide/pyodide.mjs`);

const { modules } = JSON.parse(readFileSync(0, "utf8"));
if (!modules.every((name) => /^[A-Za-z_][\w.]*$/.test(name))) throw new Error("not module names");
const pyodide = await loadPyodide({ indexURL: `${root}node_modules/pyodide/`, _makeSnapshot: true });
// in a function, so that __main__ (where PyScript runs the worker) starts as empty as usual
pyodide.runPython(`
def _prepare():
    import importlib, os
    for name in ${JSON.stringify(modules)}:
        importlib.import_module(name)
    os.environ.pop("_", None)
_prepare()
del _prepare
`);
process.stdout.write(gzipSync(pyodide.makeMemorySnapshot(), { level: 9 }));
