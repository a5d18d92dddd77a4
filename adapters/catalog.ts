import { httpDeclaration } from './http/declaration.js';
import { haproxyDeclaration } from './haproxy/declaration.js';
import { postgresDeclaration } from './postgres/declaration.js';
import { shellDeclaration } from './shell/declaration.js';
import { simulatorDeclaration } from './simulator/declaration.js';
import type { AdapterCatalog, AdapterDeclaration } from './types.js';

/**
 * Declarations of the built-in adapter types: what validation and planning need, without
 * loading any adapter's runtime code (keeps `drplan validate` cold start small).
 */
export const builtinDeclarations: readonly AdapterDeclaration<any>[] = [simulatorDeclaration, shellDeclaration, httpDeclaration, postgresDeclaration, haproxyDeclaration];

export const builtinCatalog: AdapterCatalog = new Map(builtinDeclarations.map((d) => [d.type, d]));
