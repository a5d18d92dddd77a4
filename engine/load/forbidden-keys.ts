/**
 * Keys that can change how a JavaScript object behaves when plain data is built from them or
 * later merged with it ("__proto__" replaces the prototype through the setter; the other two
 * are what prototype-pollution gadgets walk through). No plan needs them, so they are refused
 * outright instead of being escaped somewhere down the line.
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Whether `key` may not appear as a mapping key in a plan. */
export function isForbiddenKey(key: string): boolean {
  return FORBIDDEN_KEYS.has(key);
}
