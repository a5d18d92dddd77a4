import type { Position } from './diagnostic.js';

/**
 * A parsed plan file: its plain value plus a way to map a JSON pointer back to the source,
 * so every later stage can report `file:line:col` without knowing about YAML.
 */
export interface PlanSource {
  file: string;
  /** The full text, for code frames. */
  text: string;
  /** The document as plain data (no prototype-polluting keys, aliases expanded). */
  value: unknown;
  /**
   * Where the node at `pointer` is. `key` points at the property name rather than the value
   * (for "unknown field" style messages). Falls back to the nearest existing ancestor.
   */
  locate(pointer: string, part?: 'key' | 'value'): Position;
}

/** Builds a JSON pointer from path segments (RFC 6901 escaping). */
export function toPointer(segments: readonly (string | number)[]): string {
  return segments.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** Splits a JSON pointer into its unescaped segments. */
export function fromPointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}
