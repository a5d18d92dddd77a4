import { builtinCatalog } from '../../adapters/catalog.js';
import type { Adapter, AdapterCatalog } from '../../adapters/types.js';

export interface AdapterSet {
  /** Declarations, for validation and planning. */
  catalog: AdapterCatalog;
  /** Third-party adapters with their runtime code (built-ins are added by the runner). */
  extra: ReadonlyMap<string, Adapter<any>>;
}

/**
 * One set per process: the CLI activates `DRPLAN_ADAPTERS` modules before a command runs
 * (cli/adapter-modules.ts), and every use case that reads a plan or opens adapters sees them.
 */
let active: AdapterSet = { catalog: builtinCatalog, extra: new Map() };

/** The adapters the current command works with: built-ins plus `DRPLAN_ADAPTERS` modules. */
export function activeAdapters(): AdapterSet {
  return active;
}

/** Makes `set` the adapters every later use case works with. */
export function useAdapters(set: AdapterSet): void {
  active = set;
}
