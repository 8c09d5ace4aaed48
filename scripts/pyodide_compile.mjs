// Compile Python sources to bytecode with the very Pyodide the site ships (npm `pyodide`), so the
// browser imports them without compiling: Pyodide's own standard library holds sources only and
// never writes bytecode, so every import in a visitor's browser would otherwise compile again.
//
//   node scripts/pyodide_compile.mjs < {"sources": {"kaizen_core/api.py": "<text>", ...}, "pyscript": true,
//                                       "imports": [module, ...], "calls": [[module, function, [args]], ...]}
//   > {"cache_tag": "cpython-314", "python": "3.14.2",
//      "pyc": {"kaizen_core/__pycache__/api.cpython-314.pyc": "<base64>", ...},
//      "modules": ["fractions", ...]}
//
// With "pyscript": true it also compiles PyScript's own Python package, exactly the text that
// @pyscript/core writes into the worker's file system (./pyscript/*.py) before it runs our code.
// The Python side (scripts/pyodide_compile.py) also names the standard-library modules that the
// worker loads after Pyodide has started, for the memory snapshot (see there).
//
// "sources" may hold data files too (kaizen_core's TOML): they are written beside the modules, so
// that the imports and calls run as in the worker; only .py files are compiled.
//
// The .pyc files are "checked-hash" ones (PEP 552): Python hashes the source next to each of them
// on import and compiles the source instead when it differs, so a stale file can never run.
// Called by hooks/runtime.py at build time; the result is cached in build/ by the inputs' hash.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const { loadPyodide } = await import(`${root}node_modules/pyodide/pyodide.mjs`);

const input = JSON.parse(readFileSync(0, "utf8"));
const sources = { ...input.sources };
if (input.pyscript) {
  const tree = (await import(`${root}node_modules/@pyscript/core/src/stdlib/pyscript.js`)).default;
  const walk = (node, prefix) => {
    for (const [name, value] of Object.entries(node)) {
      if (typeof value === "string") sources[prefix + name] = value;
      else walk(value, `${prefix}${name}/`);
    }
  };
  walk(tree, "");
}
const pyodide = await loadPyodide({ indexURL: `${root}node_modules/pyodide/`, stdout: () => {}, stderr: () => {} });
pyodide.globals.set("input_json", JSON.stringify({ ...input, sources }));
process.stdout.write(pyodide.runPython(readFileSync(`${root}scripts/pyodide_compile.py`, "utf8")));
