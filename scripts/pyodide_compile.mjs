// Compile Python sources to bytecode with the very Pyodide the site ships (npm `pyodide`), so the
// browser imports them without compiling: Pyodide's own standard library holds sources only and
// never writes bytecode, so every import in a visitor's browser would otherwise compile again.
//
//   node scripts/pyodide_compile.mjs < {"sources": {"kaizen_core/api.py": "<text>", ...}, "pyscript": true}
//   > {"cache_tag": "cpython-314", "python": "3.14.2", "pyc": {"kaizen_core/__pycache__/api.cpython-314.pyc": "<base64>"}}
//
// With "pyscript": true it also compiles PyScript's own Python package, exactly the text that
// @pyscript/core writes into the worker's file system (./pyscript/*.py) before it runs our code.
//
// The .pyc files are "checked-hash" ones (PEP 552): Python hashes the source next to each of them
// on import and compiles the source instead when it differs, so a stale file can never run.
// Called by hooks/runtime.py at build time; the result is cached in build/ by the sources' hash.
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
pyodide.globals.set("sources_json", JSON.stringify(sources));
const output = pyodide.runPython(`
import base64, importlib.util, json, os, py_compile, sys

sources = json.loads(sources_json)
compiled = {}
os.makedirs("/tmp/kz-src", exist_ok=True)
for relative, text in sorted(sources.items()):
    source = os.path.join("/tmp/kz-src", relative)
    os.makedirs(os.path.dirname(source), exist_ok=True)
    with open(source, "w", encoding="utf-8") as handle:
        handle.write(text)
    cached = importlib.util.cache_from_source(relative)  # pkg/__pycache__/mod.cpython-3XX.pyc
    target = os.path.join("/tmp/kz-out", cached)
    py_compile.compile(
        source,
        cfile=target,
        dfile=relative,
        doraise=True,
        invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH,
    )
    with open(target, "rb") as handle:
        compiled[cached] = base64.b64encode(handle.read()).decode()
json.dumps({
    "cache_tag": sys.implementation.cache_tag,
    "python": ".".join(map(str, sys.version_info[:3])),
    "pyc": compiled,
})
`);
process.stdout.write(output);
