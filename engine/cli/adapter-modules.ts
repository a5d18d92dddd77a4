import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { builtinCatalog } from '../../adapters/catalog.js';
import type { Adapter, AdapterCatalog } from '../../adapters/types.js';
import { useAdapters } from '../app/active-adapters.js';
import { UsageError, type CliIo } from './io.js';

/**
 * Loads third-party adapters named in `DRPLAN_ADAPTERS` (paths or package names, separated by
 * commas): each module exports `adapters` (an array of adapter objects) or a default adapter.
 * A third party adds an adapter this way without touching drplan (SPEC §4).
 */
export async function activateAdapterModules(io: CliIo): Promise<void> {
  const spec = io.env.DRPLAN_ADAPTERS?.trim();
  useAdapters({ catalog: builtinCatalog, extra: new Map() });
  if (!spec) return;
  const catalog = new Map(builtinCatalog);
  const extra = new Map<string, Adapter<any>>();
  for (const entry of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const target = entry.startsWith('.') || isAbsolute(entry) ? pathToFileURL(resolve(io.cwd, entry)).href : entry;
    let module: { adapters?: unknown; default?: unknown };
    try {
      module = (await import(target)) as typeof module;
    } catch (error) {
      throw new UsageError(`DRPLAN_ADAPTERS: cannot load ${entry}: ${error instanceof Error ? error.message : String(error)}`, 'give a path (./my-adapter.js) or an installed package name');
    }
    const exported = module.adapters ?? module.default;
    const list = Array.isArray(exported) ? exported : exported ? [exported] : [];
    if (list.length === 0) throw new UsageError(`DRPLAN_ADAPTERS: ${entry} exports no adapters`, 'export `adapters` (an array of adapter objects) or a default adapter');
    for (const adapter of list) {
      const problem = adapterProblem(adapter);
      if (problem) throw new UsageError(`DRPLAN_ADAPTERS: ${entry}: ${problem}`, 'see docs/adapters/writing-an-adapter.md');
      const a = adapter as Adapter<any>;
      if (catalog.has(a.type)) throw new UsageError(`DRPLAN_ADAPTERS: ${entry} defines adapter type "${a.type}", which already exists`, 'give the adapter its own type name');
      catalog.set(a.type, a);
      extra.set(a.type, a);
    }
  }
  useAdapters({ catalog, extra });
}

function adapterProblem(value: unknown): string | null {
  const a = value as Partial<Adapter>;
  if (!a || typeof a !== 'object') return 'an exported adapter is not an object';
  if (typeof a.type !== 'string' || !/^[a-z][a-z0-9-]*$/.test(a.type)) return `adapter type ${JSON.stringify(a.type)} is not a lowercase name`;
  if (typeof a.description !== 'string') return `adapter "${a.type}" has no description`;
  if (!a.configSchema || typeof a.configSchema !== 'object') return `adapter "${a.type}" has no configSchema`;
  if (typeof a.operations !== 'function') return `adapter "${a.type}" has no operations(config) function`;
  if (typeof a.open !== 'function') return `adapter "${a.type}" has no open(config, env) function`;
  return null;
}
