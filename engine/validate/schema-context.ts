/**
 * What the mapping from ajv errors to diagnostics works with: the context of one validation,
 * the finding each rule produces, and how places and schema descriptions are looked up.
 */
import type { ErrorObject } from 'ajv';
import type { JsonSchema } from '../../adapters/types.js';
import type { DiagnosticCode } from '../model/diagnostic.js';
import type { PlanSource } from '../model/plan-source.js';
import type { SchemaRules } from './schema-rules.js';
import { dottedPath, placeOf, segmentsOf, type Place } from './schema-wording.js';

export interface SchemaErrorContext {
  source: PlanSource;
  /** The root schema validated against: local `$ref`s and branch locations resolve in it. */
  schema: JsonSchema;
  /** The value validated; ajv's instance paths are relative to it. */
  value: unknown;
  /** Where `value` sits in the plan document. */
  basePointer: string;
  rules: SchemaRules;
  /**
   * Validates `data` (found at `instancePath`) against the anyOf/oneOf branch at
   * `branchPointer` in `schema`; undefined when that branch cannot be validated on its own.
   */
  validateBranch?(branchPointer: string, data: unknown, instancePath: string): ErrorObject[] | undefined;
  /** Every diagnostic gets this code (INVALID_WITH, INVALID_ADAPTER_CONFIG); messages stay specific. */
  code?: DiagnosticCode;
  /** How messages name the value at `basePointer`, e.g. `step "dns-alias"` (see `checkAgainstSchema`). */
  subject?: string;
}

/** One problem, before it is located in the source. */
export interface Finding {
  code: DiagnosticCode;
  pointer: string;
  part: 'key' | 'value';
  message: string;
  hint?: string;
}

export function finding(code: DiagnosticCode, pointer: string, message: string, hint?: string): Finding {
  return { code, pointer, part: 'value', message, ...(hint ? { hint } : {}) };
}

export function escapeSegment(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The place named in messages: the subject the caller gave, else derived from the plan document. */
export function placeFor(ctx: SchemaErrorContext, pointer: string): Place {
  if (ctx.subject === undefined) return placeOf(ctx.source.value, pointer);
  const base = segmentsOf(ctx.basePointer);
  const inner = segmentsOf(pointer).slice(base.length);
  const last = base[base.length - 1];
  if (last === undefined) return { container: ctx.subject, path: dottedPath(inner, ctx.value) };
  // `adapter "site" config` + `seed` reads `adapter "site": config.seed`; `step "x"` + `name` reads `step "x": with.name`.
  const container = ctx.subject.endsWith(` ${last}`) ? ctx.subject.slice(0, -(last.length + 1)) : ctx.subject;
  return { container, path: dottedPath([last, ...inner], { [last]: ctx.value }) };
}

/** A schema's description, following a local $ref, for hints. */
export function describe(schema: unknown, root?: JsonSchema): string | undefined {
  if (schema === null || typeof schema !== 'object') return undefined;
  const s = schema as JsonSchema;
  if (typeof s.description === 'string') return s.description;
  if (root && typeof s.$ref === 'string') return describe(resolveRef(root, s.$ref));
  return undefined;
}

export function fieldDescription(schema: JsonSchema | undefined, field: string, root: JsonSchema): string | undefined {
  const property = (schema?.properties as JsonSchema | undefined)?.[field];
  return describe(property, root);
}

export function resolveRef(root: JsonSchema, ref: string): unknown {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return undefined;
  return resolvePointer(root, ref.slice(1));
}

export function resolvePointer(root: unknown, pointer: string): unknown {
  let node = root;
  for (const segment of segmentsOf(pointer)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}
