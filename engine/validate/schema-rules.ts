/**
 * What drplan knows about particular schemas beyond what ajv reports: which ones are names
 * (INVALID_NAME, with the rule spelled out) and which are durations (INVALID_DURATION). Schemas
 * are recognised by content, not by location, so the same rule applies however a name is
 * reached ($ref, propertyNames, an anyOf branch re-checked on its own).
 */
import type { JsonSchema } from '../../adapters/types.js';

export interface NameRule {
  /** `plan name`, `id`, `VM name`, … */
  noun: string;
  /** The rule, for the hint. */
  rule: string;
  /** A valid name close to `value`, if one is easy to derive. */
  fix(value: string): string | undefined;
}

export interface SchemaRules {
  /** The naming rule a schema enforces, when it is one of the plan's name definitions. */
  nameRule(schema: unknown): NameRule | undefined;
  /** Whether a schema is a duration (`90s`, `1h30m`, …). */
  isDuration(schema: unknown): boolean;
}

/** Where each kind of name is defined in schemas/plan.schema.json, and how to explain it. */
const NAME_DEFINITIONS: { path: string[]; noun: string; rule: string; lower?: boolean }[] = [
  {
    path: ['properties', 'metadata', '$ref', 'properties', 'name'],
    noun: 'plan name',
    rule: 'a lowercase DNS label: letters, digits and hyphens, at most 63 characters, starting and ending with a letter or digit',
    lower: true,
  },
  { path: ['$defs', 'id'], noun: 'id', rule: 'letters, digits, "_" and "-", starting with a letter or digit, at most 100 characters (no dots or slashes: drplan builds step ids from ids)' },
  { path: ['$defs', 'name'], noun: 'name', rule: 'a letter first, then letters, digits, "_" and "-", at most 63 characters' },
  { path: ['$defs', 'identifier'], noun: 'parameter name', rule: 'a letter or "_" first, then letters, digits and "_" (templates use it as {{params.<name>}})' },
  { path: ['$defs', 'principal'], noun: 'principal', rule: 'letters, digits, ".", "_", "@" and "-", starting with a letter or digit, at most 100 characters (the key file is <principal>.pub)' },
  { path: ['$defs', 'vmName'], noun: 'VM name', rule: 'letters, digits, ".", "_" and "-", starting with a letter or digit, at most 253 characters' },
];

/**
 * Rules derived from the plan schema. With `names: false` (adapter configs, `with`) only the
 * duration rule applies, to schemas that reuse the plan's duration pattern verbatim.
 */
export function createSchemaRules(planSchema: JsonSchema, options: { names: boolean }): SchemaRules {
  const byFingerprint = new Map<string, NameRule>();
  if (options.names) {
    for (const def of NAME_DEFINITIONS) {
      const node = walk(planSchema, def.path);
      if (node) byFingerprint.set(fingerprint(node), makeRule(def.noun, def.rule, node, def.lower ?? false));
    }
  }
  const durationPattern = walk(planSchema, ['$defs', 'duration'])?.pattern;
  const cache = new WeakMap<object, NameRule | null>();
  return {
    nameRule(node) {
      if (byFingerprint.size === 0 || node === null || typeof node !== 'object') return undefined;
      let rule = cache.get(node);
      if (rule === undefined) {
        rule = byFingerprint.get(fingerprint(node as JsonSchema)) ?? null;
        cache.set(node, rule);
      }
      return rule ?? undefined;
    },
    isDuration(node) {
      return typeof durationPattern === 'string' && (node as JsonSchema | null)?.pattern === durationPattern;
    },
  };
}

function walk(schema: JsonSchema, path: string[]): JsonSchema | undefined {
  let node: unknown = schema;
  for (const step of path) {
    if (node === null || typeof node !== 'object') return undefined;
    if (step === '$ref') {
      // Follow the local reference of the node reached so far (`{ "$ref": "#/$defs/metadata" }`).
      const ref = (node as JsonSchema).$ref;
      node = typeof ref === 'string' && ref.startsWith('#/$defs/') ? (schema.$defs as JsonSchema)?.[ref.slice(8)] : undefined;
      continue;
    }
    node = (node as JsonSchema)[step];
  }
  return node !== null && typeof node === 'object' ? (node as JsonSchema) : undefined;
}

function fingerprint(node: JsonSchema): string {
  return JSON.stringify(node);
}

function makeRule(noun: string, rule: string, node: JsonSchema, lower: boolean): NameRule {
  const pattern = typeof node.pattern === 'string' ? new RegExp(node.pattern, 'u') : undefined;
  const max = typeof node.maxLength === 'number' ? node.maxLength : 253;
  return {
    noun,
    rule,
    fix(value) {
      let candidate = lower ? value.toLowerCase() : value;
      candidate = candidate
        .trim()
        .replace(lower ? /[^a-z0-9-]+/g : /[^A-Za-z0-9_-]+/g, '-')
        .replace(/^[-_]+|[-_]+$/g, '')
        .slice(0, max)
        .replace(/[-_]+$/, '');
      if (candidate === value || candidate === '' || (pattern && !pattern.test(candidate))) return undefined;
      return candidate;
    },
  };
}
