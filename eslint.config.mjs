// ESLint (flat config) for the site's own JavaScript: the tool pages' app.mjs and widgets, the
// PyScript boot module, the service worker and the content pages' scripts. Run by `make jscheck`
// (part of `make test`) from node_modules, pinned by package-lock.json; any finding fails.
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["node_modules/**", "site/**", "build/**", ".venv/**", "bench/**", "scripts/**", "tests/**"] },
  js.configs.recommended,
  {
    files: ["calculators/**/*.mjs"],
    languageOptions: { ecmaVersion: 2023, sourceType: "module", globals: { ...globals.browser } },
  },
  {
    // the PyScript worker imports boot.mjs: a worker's globals, not a window's
    files: ["calculators/boot.mjs"],
    languageOptions: { globals: { ...globals.worker } },
  },
  {
    files: ["calculators/sw.js"],
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: "script",
      // the build writes these (hooks/kaizen_site.py) before the file is served
      globals: { ...globals.serviceworker, __PRECACHE__: "readonly", __RUNTIME__: "readonly", __DIGESTS__: "readonly" },
    },
  },
  {
    // site.js is loaded as a module (it reads import.meta); the other two are classic scripts
    files: ["docs/assets/*.js"],
    languageOptions: { ecmaVersion: 2023, sourceType: "script", globals: { ...globals.browser } },
  },
  { files: ["docs/assets/site.js"], languageOptions: { sourceType: "module" } },
  {
    rules: {
      "no-unused-vars": ["error", { args: "after-used", caughtErrors: "none" }],
      eqeqeq: ["error", "always"],
      "prefer-const": "error",
      "no-var": "error",
    },
  },
];
