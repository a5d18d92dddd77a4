import { httpAdapter } from './http/index.js';
import { haproxyAdapter } from './haproxy/index.js';
import { postgresAdapter } from './postgres/index.js';
import { shellAdapter } from './shell/index.js';
import { simulatorAdapter } from './simulator/index.js';
import type { Adapter } from './types.js';

/** The built-in adapters with their runtime code, by type. Only the runner loads this. */
export const builtinAdapters: ReadonlyMap<string, Adapter<any>> = new Map([simulatorAdapter, shellAdapter, httpAdapter, postgresAdapter, haproxyAdapter].map((a) => [a.type, a]));
