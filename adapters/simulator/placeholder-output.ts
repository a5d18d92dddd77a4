import type { JsonObject, JsonSchema, JsonValue } from '../types.js';

/** Deeper than any output schema worth simulating; stops self-similar schemas from recursing on. */
const MAX_DEPTH = 8;

/**
 * A stand-in output that fits an operation's declared output schema: every declared property
 * with a value of its type, so that templates reading `{{steps.<id>.output.<key>}}` render in a
 * dry-run. Values come from the schema where it offers one (`const`, `default`, `examples`,
 * `enum`), else from the type: strings `simulated-<key>` (or a reserved example of their
 * `format`), numbers their minimum or 0, booleans true, arrays empty. Pure.
 *
 * @example
 * ```ts
 * placeholderOutput({ type: 'object', properties: { address: { type: 'string' }, port: { type: 'integer', minimum: 1 } } });
 * // { address: 'simulated-address', port: 1 }
 * ```
 */
export function placeholderOutput(schema: JsonSchema | undefined): JsonObject {
  const value = schema === undefined ? {} : placeholderValue(schema, 'output', 0);
  return isObject(value) ? value : {};
}

function placeholderValue(schema: JsonSchema, key: string, depth: number): JsonValue {
  if ('const' in schema) return schema.const as JsonValue;
  if ('default' in schema) return schema.default as JsonValue;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0] as JsonValue;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0] as JsonValue;
  const type = typeOf(schema);
  // A schema that only combines others (`oneOf: [...]`) takes the shape of its first option.
  const branch = type === undefined ? firstBranch(schema) : undefined;
  if (branch && depth < MAX_DEPTH) return placeholderValue(branch, key, depth + 1);

  switch (type) {
    case 'object':
      return depth < MAX_DEPTH ? objectValue(schema, depth) : {};
    case 'array':
      return [];
    case 'number':
    case 'integer':
      return numberValue(schema);
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return stringValue(schema, key);
  }
}

function objectValue(schema: JsonSchema, depth: number): JsonObject {
  const properties = isObject(schema.properties) ? schema.properties : {};
  const result: JsonObject = {};
  for (const [name, property] of Object.entries(properties)) {
    result[name] = isObject(property) ? placeholderValue(property, name, depth + 1) : `simulated-${name}`;
  }
  return result;
}

function numberValue(schema: JsonSchema): number {
  if (typeof schema.minimum === 'number') return schema.minimum;
  if (typeof schema.exclusiveMinimum === 'number') return schema.exclusiveMinimum + 1;
  if (typeof schema.maximum === 'number' && schema.maximum < 0) return schema.maximum;
  return 0;
}

/** Reserved, obviously fake values (RFC 2606 domains, RFC 5737 addresses) for common formats. */
const FORMAT_EXAMPLES: Record<string, (key: string) => string> = {
  'date-time': () => '2000-01-01T00:00:00.000Z',
  date: () => '2000-01-01',
  time: () => '00:00:00Z',
  duration: () => 'PT0S',
  uri: (key) => `https://simulated.invalid/${key}`,
  url: (key) => `https://simulated.invalid/${key}`,
  email: (key) => `${key}@simulated.invalid`,
  hostname: (key) => `${key}.simulated.invalid`,
  ipv4: () => '192.0.2.1',
  ipv6: () => '2001:db8::1',
  uuid: () => '00000000-0000-4000-8000-000000000000',
};

function stringValue(schema: JsonSchema, key: string): string {
  const format = typeof schema.format === 'string' ? FORMAT_EXAMPLES[schema.format] : undefined;
  return format ? format(key) : `simulated-${key}`;
}

/** The type to synthesise: the declared one (the first non-null one of a list), else inferred. */
function typeOf(schema: JsonSchema): string | undefined {
  const type = schema.type;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return (type.find((t) => t !== 'null') ?? type[0]) as string | undefined;
  if (isObject(schema.properties)) return 'object';
  if (schema.items !== undefined) return 'array';
  return undefined;
}

function firstBranch(schema: JsonSchema): JsonSchema | undefined {
  for (const keyword of ['oneOf', 'anyOf', 'allOf'] as const) {
    const branches = schema[keyword];
    if (Array.isArray(branches) && isObject(branches[0])) return branches[0] as JsonSchema;
  }
  return undefined;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
