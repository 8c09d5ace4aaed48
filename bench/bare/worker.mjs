// Baseline worker: load Pyodide from the site's runtime/ (plain, or from the snapshot as the tool
// pages do), unpack the site's kaizen zip, run one call.
self.onmessage = async (event) => {
  const { site, snapshot } = event.data;
  const manifest = await (await fetch(new URL("runtime/manifest.json", site))).json();
  const entry = snapshot ? `runtime/${manifest.boot}` : "runtime/pyodide/pyodide.mjs";
  const { loadPyodide } = await import(new URL(entry, site).href);
  const pyodide = await loadPyodide({ indexURL: new URL("runtime/pyodide/", site).href });
  const archive = await (await fetch(new URL(`runtime/${manifest.package}`, site))).arrayBuffer();
  pyodide.unpackArchive(archive, "zip", { extractDir: "/home/pyodide" });
  const text = pyodide.runPython(`
import json, sys
sys.path.insert(0, "/home/pyodide")
import kaizen_core
kaizen_core.run_json("subsidy", json.dumps({"programme": "vup", "fees": {"plan": "22.5万", "monitoring_final": "7.5万"}}))
`);
  self.postMessage({ total: JSON.parse(text).subsidy_total });
};
