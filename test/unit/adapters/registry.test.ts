import { describe, expect, it } from 'vitest';
import { builtinCatalog } from '../../../adapters/catalog.js';
import { builtinAdapterTypes, loadBuiltinAdapter } from '../../../adapters/registry.js';

describe('built-in adapter registry', () => {
  it('has runtime code for exactly the declared built-in types', () => {
    expect([...builtinAdapterTypes].sort()).toEqual([...builtinCatalog.keys()].sort());
  });

  it.each([...builtinCatalog.keys()])('loads %s with the declaration of its type', async (type) => {
    const adapter = await loadBuiltinAdapter(type);
    expect(adapter?.type).toBe(type);
    expect(adapter?.operations).toBeTypeOf('function');
    expect(adapter?.open).toBeTypeOf('function');
  });

  it('knows nothing of other types, including names inherited from Object', async () => {
    expect(await loadBuiltinAdapter('kafka')).toBeUndefined();
    expect(await loadBuiltinAdapter('toString')).toBeUndefined();
    expect(await loadBuiltinAdapter('__proto__')).toBeUndefined();
  });
});
