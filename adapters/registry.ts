import type { Adapter } from './types.js';

/**
 * The built-in adapters' runtime code, loaded on first use: a run loads only the adapters its
 * plan names, so a simulator plan never pays for pg's driver at start-up. Declarations (what
 * validation and `plan` need) live in `catalog.ts` and are always loaded.
 */
const loaders: Readonly<Record<string, () => Promise<Adapter<any>>>> = {
  simulator: async () => (await import('./simulator/index.js')).simulatorAdapter,
  shell: async () => (await import('./shell/index.js')).shellAdapter,
  http: async () => (await import('./http/index.js')).httpAdapter,
  postgres: async () => (await import('./postgres/index.js')).postgresAdapter,
  haproxy: async () => (await import('./haproxy/index.js')).haproxyAdapter,
};

/** The built-in adapter of `type` with its runtime code; undefined when no built-in has that type. */
export async function loadBuiltinAdapter(type: string): Promise<Adapter<any> | undefined> {
  return Object.hasOwn(loaders, type) ? loaders[type]!() : undefined;
}

/** The types of the built-in adapters. */
export const builtinAdapterTypes: readonly string[] = Object.keys(loaders);
