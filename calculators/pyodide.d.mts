// Types for tsc (tsconfig.worker.json): boot.mjs imports the shipped Pyodide module, which the
// build places beside it (runtime/pyodide/pyodide.mjs); this declares only what boot.mjs uses.
export const version: string;
export function loadPyodide(options?: Record<string, unknown>): Promise<{ runPython(code: string): unknown }>;
