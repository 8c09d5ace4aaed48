// Types for tsc over the tool pages' scripts (tsconfig.json): what other code puts on the page.
interface Element {
  /** PyScript's worker handle on <script type="py" worker> once it has started the worker. */
  xworker?: { ready: Promise<{ sync: KaizenWorkerApi }> };
}

/** The Python worker's exports (calculators/worker.py); every answer is JSON text or bytes. */
interface KaizenWorkerApi {
  compute(tool: string, request: string, shownDigest: string): Promise<string>;
  warm_next(shown: string): Promise<number>;
  export_csv(tool: string, request: string): Promise<Uint8Array | string>;
  export_xlsx(tool: string, request: string, wheels: string): Promise<Uint8Array | string>;
  export_file(tool: string, kind: string, request: string): Promise<Uint8Array | string>;
  import_file(tool: string, filename: string, bytes: Uint8Array, wheels: string): Promise<string>;
  run_batch(filename: string, bytes: Uint8Array, wheels: string): Promise<string>;
  batch_file(kind: string): Promise<Uint8Array>;
}

// Material for MkDocs' page observable (instant navigation), when the theme provides it.
declare var document$: { subscribe(next: () => void): unknown } | undefined;
// The mounted tool, for the browser tests and the benchmark.
declare var kaizenTool: unknown;
