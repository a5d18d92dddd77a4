/**
 * Turns ajv's errors into drplan diagnostics: a stable code per kind of problem, a position
 * from the source map, and a message in plan terms. No ajv wording reaches the user; each
 * keyword's message is written here, next to the rule that produces it (as ajv itself does in
 * `lib/vocabularies/validation/*`).
 */
import type { ErrorObject } from 'ajv';
import type { JsonSchema } from '../../adapters/types.js';
import type { Diagnostic, DiagnosticCode } from '../model/diagnostic.js';
import { toPointer, type PlanSource } from '../model/plan-source.js';
import { formatDidYouMean, suggest } from './did-you-mean.js';
import type { SchemaRules } from './schema-rules.js';
import {
  describeTypes,
  describeValue,
  dottedPath,
  jsonType,
  lastKey,
  phrase,
  segmentsOf,
  placeOf,
  renderValue,
  renderValues,
  typeAccepts,
  valueAt,
  type Place,
} from './schema-wording.js';

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

interface Finding {
  code: DiagnosticCode;
  pointer: string;
  part: 'key' | 'value';
  message: string;
  hint?: string;
}

export const DURATION_HINT = 'write durations like 90s, 30m, 2h, 1h30m';
const MAX_BRANCH_DEPTH = 8;

/**
 * Maps ajv errors (from a validator compiled with `allErrors` and `verbose`) to diagnostics:
 * anyOf/oneOf resolved to the branch that fits the data's type, deduplicated (one per
 * pointer, code and message), ordered by position.
 */
export function schemaErrorsToDiagnostics(errors: readonly ErrorObject[], ctx: SchemaErrorContext): Diagnostic[] {
  const seen = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const f of collectFindings(errors, ctx, 0)) {
    const code = ctx.code ?? f.code;
    const key = `${f.pointer}\u0000${code}\u0000${f.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const at = ctx.source.locate(f.pointer, f.part);
    diagnostics.push({
      code,
      severity: 'error',
      file: ctx.source.file,
      line: at.line,
      col: at.col,
      endLine: at.endLine,
      endCol: at.endCol,
      pointer: f.pointer,
      message: f.message,
      ...(f.hint ? { hint: f.hint } : {}),
    });
  }
  return diagnostics.sort((a, b) => a.line - b.line || a.col - b.col);
}

function collectFindings(errors: readonly ErrorObject[], ctx: SchemaErrorContext, depth: number): Finding[] {
  const consumed = new Array<boolean>(errors.length).fill(false);
  const found = new Array<Finding[] | undefined>(errors.length);
  // Outermost alternatives first (they come last): their branches' errors precede them in the list.
  for (let i = errors.length - 1; i >= 0; i--) {
    const e = errors[i]!;
    if (consumed[i] || (e.keyword !== 'anyOf' && e.keyword !== 'oneOf')) continue;
    for (let k = i - 1; k >= 0; k--) {
      const before = errors[k]!;
      // Stop at a sibling keyword of the same schema (e.g. its `type`): that error is not a branch's.
      if (!within(before.instancePath, e.instancePath) || (before.parentSchema !== undefined && before.parentSchema === e.parentSchema)) break;
      consumed[k] = true;
    }
    found[i] = describeAlternative(e, ctx, depth);
  }
  for (let i = 0; i < errors.length; i++) {
    if (!consumed[i] && !found[i]) found[i] = describeError(errors[i]!, ctx, errors);
  }
  return found.flatMap((f) => f ?? []);
}

function within(path: string, ancestor: string): boolean {
  return path === ancestor || path.startsWith(ancestor + '/');
}

// ---------------------------------------------------------------------------------------------
// anyOf / oneOf: report the branch meant, never "must match a schema in anyOf".

function describeAlternative(e: ErrorObject, ctx: SchemaErrorContext, depth: number): Finding[] {
  const pointer = ctx.basePointer + e.instancePath;
  const data = valueAt(ctx.value, e.instancePath);
  const holder = e.parentSchema as JsonSchema | undefined;
  const branches = holder?.[e.keyword];
  const place = placeFor(ctx, pointer);
  if (e.keyword === 'oneOf' && Array.isArray((e.params as { passingSchemas?: unknown }).passingSchemas)) {
    return [finding('INVALID_VALUE', pointer, phrase(place, 'fits more than one of the allowed forms'), describe(holder))];
  }
  if (!Array.isArray(branches)) return [finding('INVALID_VALUE', pointer, phrase(place, 'is not valid'), describe(holder))];

  const actual = jsonType(data);
  const typed = branches.map((b: unknown, i: number) => ({ i, types: schemaTypes(b, ctx.schema, 0) }));
  const fitting = typed.filter(({ types }) => types === undefined || types.some((t) => typeAccepts(t, actual)));
  if (fitting.length === 0) {
    const expected = typed.flatMap(({ types }) => types ?? []);
    return [finding('WRONG_TYPE', pointer, phrase(place, `must be ${describeTypes(expected)}, got ${describeValue(data)}`), describe(holder))];
  }

  const location = depth < MAX_BRANCH_DEPTH ? alternativeLocation(e, ctx) : undefined;
  if (location !== undefined && ctx.validateBranch) {
    let best: { errors: ErrorObject[] } | undefined;
    for (const { i } of fitting) {
      const branchPointer = `${location}/${e.keyword}/${i}`;
      const branchErrors = ctx.validateBranch(branchPointer, data, e.instancePath);
      if (branchErrors === undefined) {
        best = undefined;
        break;
      }
      if (!best || branchErrors.length < best.errors.length) best = { errors: branchErrors };
    }
    if (best && best.errors.length > 0) {
      // The value itself is wrong for the branch chosen: say what the other forms are too.
      const other = describe(holder);
      return collectFindings(best.errors, ctx, depth + 1).map((f) =>
        f.pointer === pointer && f.code === 'INVALID_VALUE' && other && !f.hint?.includes(other) ? { ...f, hint: f.hint ? `${f.hint}. ${other}` : other } : f,
      );
    }
  }
  return [finding('INVALID_VALUE', pointer, phrase(place, 'is not in any of the allowed forms'), describe(holder))];
}

/**
 * The JSON pointer (in `ctx.schema`) of the schema holding the anyOf/oneOf that failed. ajv's
 * `schemaPath` cannot say: it is relative to whichever $ref target ajv compiled separately. The
 * holder is found by content instead (errors carry it as `parentSchema`).
 */
function alternativeLocation(e: ErrorObject, ctx: SchemaErrorContext): string | undefined {
  if (e.parentSchema === undefined) return undefined;
  let index = holderIndex.get(ctx.schema);
  if (!index) {
    index = new Map();
    indexHolders(ctx.schema, '', index);
    holderIndex.set(ctx.schema, index);
  }
  const holder = e.parentSchema as object;
  if (!holderLocation.has(holder)) holderLocation.set(holder, index.get(JSON.stringify(holder)));
  return holderLocation.get(holder);
}

const holderIndex = new WeakMap<object, Map<string, string>>();
/** The same holder object fails once per VM in a large plan: look it up once. */
const holderLocation = new WeakMap<object, string | undefined>();

function indexHolders(node: unknown, pointer: string, index: Map<string, string>): void {
  if (node === null || typeof node !== 'object') return;
  const s = node as JsonSchema;
  if (!Array.isArray(node) && (Array.isArray(s.anyOf) || Array.isArray(s.oneOf))) {
    const key = JSON.stringify(node);
    if (!index.has(key)) index.set(key, pointer);
  }
  for (const [key, child] of Object.entries(s)) {
    // Data-valued keywords hold values, not schemas.
    if (key === 'enum' || key === 'const' || key === 'examples' || key === 'default') continue;
    indexHolders(child, `${pointer}/${escape(key)}`, index);
  }
}

/** The JSON types a schema admits, or undefined when it admits any (or cannot tell). */
function schemaTypes(schema: unknown, root: JsonSchema, depth: number): string[] | undefined {
  if (schema === false) return [];
  if (schema === null || typeof schema !== 'object' || depth > 10) return undefined;
  const s = schema as JsonSchema;
  if (typeof s.type === 'string') return [s.type];
  if (Array.isArray(s.type)) return s.type.filter((t): t is string => typeof t === 'string');
  if ('const' in s) return [jsonType(s.const)];
  if (Array.isArray(s.enum)) return [...new Set(s.enum.map(jsonType))];
  if (typeof s.$ref === 'string') {
    const target = resolveRef(root, s.$ref);
    if (target !== undefined) return schemaTypes(target, root, depth + 1);
  }
  const alternatives = Array.isArray(s.anyOf) ? s.anyOf : Array.isArray(s.oneOf) ? s.oneOf : undefined;
  if (alternatives) {
    const all = alternatives.map((b) => schemaTypes(b, root, depth + 1));
    return all.some((t) => t === undefined) ? undefined : [...new Set(all.flatMap((t) => t ?? []))];
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// One error, one finding (or none).

function describeError(e: ErrorObject, ctx: SchemaErrorContext, all: readonly ErrorObject[]): Finding[] {
  const pointer = ctx.basePointer + e.instancePath;
  const data = valueAt(ctx.value, e.instancePath);
  const schema = e.parentSchema as JsonSchema | undefined;
  const params = e.params as Record<string, unknown>;
  const place = placeFor(ctx, pointer);
  const at = (code: DiagnosticCode, predicate: string, hint?: string) => [finding(code, pointer, phrase(place, predicate), hint)];

  if (e.propertyName !== undefined && e.keyword !== 'propertyNames') return describeKeyName(e, ctx, e.propertyName, schema);

  switch (e.keyword) {
    case 'type': {
      const expected = Array.isArray(params.type) ? (params.type as string[]) : String(params.type).split(',');
      const got = expected.includes('integer') && jsonType(data) === 'number' ? 'a decimal number' : describeValue(data);
      return at('WRONG_TYPE', `must be ${describeTypes(expected)}, got ${got}`, typeHint(expected, data, schema, ctx));
    }
    case 'required': {
      const field = String(params.missingProperty);
      const description = fieldDescription(schema, field, ctx.schema);
      const last = segmentsOf(pointer).pop();
      const part = last !== undefined && !/^\d+$/.test(last) ? 'key' : 'value';
      const hint = description ? `add "${field}": ${description}` : `add "${field}"`;
      return [{ ...finding('MISSING_FIELD', pointer, phrase(place, `is missing the required field "${field}"`), hint), part }];
    }
    case 'dependentRequired':
    case 'dependencies':
      return at('MISSING_FIELD', `has "${String(params.property)}" but is missing "${String(params.missingProperty)}", which goes with it`);
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const key = String(params.additionalProperty ?? params.unevaluatedProperty);
      const allowed = Object.keys((schema?.properties as JsonSchema | undefined) ?? {});
      const hint =
        allowed.length > 0
          ? formatDidYouMean(key, allowed, { alternatives: 'allowed fields' })
          : `${place.path || place.container || 'this'} takes no fields`;
      return [{ ...finding('UNKNOWN_FIELD', `${pointer}/${escape(key)}`, phrase(place, `has an unknown field "${key}"`), hint), part: 'key' }];
    }
    case 'enum': {
      const allowed = Array.isArray(params.allowedValues) ? (params.allowedValues as unknown[]) : [];
      const guess = typeof data === 'string' ? suggest(data, allowed.filter((v): v is string => typeof v === 'string')) : undefined;
      const hint = `${guess !== undefined ? `did you mean "${guess}"? ` : ''}allowed values: ${renderValues(allowed)}`;
      return at('INVALID_VALUE', `cannot be ${renderValue(data)}`, hint);
    }
    case 'const': {
      const allowed = params.allowedValue;
      const key = lastKey(pointer);
      const hint = typeof allowed === 'string' && key ? `write ${key}: ${allowed}` : `the only allowed value is ${renderValue(allowed)}`;
      return at('INVALID_VALUE', `must be ${renderValue(allowed)}, got ${renderValue(data)}`, hint);
    }
    case 'pattern':
      if (ctx.rules.isDuration(schema)) return at('INVALID_DURATION', `${renderValue(data)} is not a duration`, durationHint(data));
      return nameOr(() => at('INVALID_VALUE', `${renderValue(data)} is not in the expected form`, describe(schema) ?? `expected text matching ${String(params.pattern)}`));
    case 'minLength':
    case 'maxLength': {
      const limit = Number(params.limit);
      const length = typeof data === 'string' ? [...data].length : 0;
      return nameOr(() =>
        e.keyword === 'minLength'
          ? at('VALUE_OUT_OF_RANGE', limit <= 1 ? 'must not be empty' : `must be at least ${limit} characters long, got ${length}`, describe(schema))
          : at('VALUE_OUT_OF_RANGE', `must be at most ${limit} characters long, got ${length}`, describe(schema)),
      );
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const words = { minimum: 'at least', maximum: 'at most', exclusiveMinimum: 'greater than', exclusiveMaximum: 'less than' }[e.keyword];
      return at('VALUE_OUT_OF_RANGE', `must be ${words} ${String(params.limit)}, got ${renderValue(data)}`, describe(schema));
    }
    case 'multipleOf':
      return at('INVALID_VALUE', `must be a multiple of ${String(params.multipleOf)}, got ${renderValue(data)}`);
    case 'minItems':
    case 'minProperties': {
      const limit = Number(params.limit);
      const unit = e.keyword === 'minItems' ? 'items' : 'entries';
      return at('TOO_FEW_ITEMS', limit <= 1 ? 'must not be empty' : `must have at least ${limit} ${unit}`, describe(schema));
    }
    case 'maxItems':
    case 'maxProperties':
      return at('VALUE_OUT_OF_RANGE', `must have at most ${String(params.limit)} ${e.keyword === 'maxItems' ? 'items' : 'entries'}`);
    case 'contains':
    case 'minContains':
      return at('TOO_FEW_ITEMS', `must contain at least ${String(params.minContains ?? 1)} matching items`, describe(schema));
    case 'maxContains':
      return at('VALUE_OUT_OF_RANGE', `must contain at most ${String(params.maxContains)} matching items`, describe(schema));
    case 'items':
    case 'additionalItems':
    case 'unevaluatedItems':
    {
      const limit = params.limit ?? params.len;
      return at('VALUE_OUT_OF_RANGE', limit === undefined ? 'has too many items' : `must have at most ${String(limit)} items`);
    }
    case 'uniqueItems': {
      const i = Number(params.i);
      const j = Number(params.j);
      const item = Array.isArray(data) ? data[i] : undefined;
      return [finding('DUPLICATE_ITEM', `${pointer}/${i}`, phrase(place, `lists ${renderValue(item)} twice`), `remove one of them (items ${Math.min(i, j) + 1} and ${Math.max(i, j) + 1})`)];
    }
    case 'format':
      return at('INVALID_VALUE', `${renderValue(data)} is not a valid ${String(params.format)}`);
    case 'propertyNames': {
      const key = String(params.propertyName);
      if (all.some((other) => other !== e && other.instancePath === e.instancePath && other.propertyName === key)) return [];
      return describeKeyName(e, ctx, key, undefined);
    }
    case 'false schema': {
      const segments = segmentsOf(e.instancePath);
      const key = segments.pop();
      const parent = valueAt(ctx.value, toPointer(segments));
      if (key !== undefined && parent !== null && typeof parent === 'object' && !Array.isArray(parent)) {
        const parentPlace = placeFor(ctx, ctx.basePointer + toPointer(segments));
        return [{ ...finding('UNKNOWN_FIELD', pointer, phrase(parentPlace, `cannot have the field "${key}"`)), part: 'key' }];
      }
      return at('INVALID_VALUE', 'is not allowed here');
    }
    case 'not':
      return at('INVALID_VALUE', `cannot be ${renderValue(data)}`, describe(schema));
    case 'if':
      return []; // the failing `then`/`else` reports the actual problem
    default:
      return at('INVALID_VALUE', 'is not valid', describe(schema));
  }

  /** Length and pattern problems of a known kind of name are one INVALID_NAME, with the rule. */
  function nameOr(otherwise: () => Finding[]): Finding[] {
    const rule = ctx.rules.nameRule(schema);
    if (!rule || typeof data !== 'string') return otherwise();
    const fix = rule.fix(data);
    return at('INVALID_NAME', `${renderValue(data)} is not a valid ${rule.noun}`, `use ${rule.rule}${fix ? `, for example "${fix}"` : ''}`);
  }
}

/** A key rejected by `propertyNames` (an adapter instance called `My Site`). */
function describeKeyName(e: ErrorObject, ctx: SchemaErrorContext, key: string, schema: JsonSchema | undefined): Finding[] {
  const pointer = ctx.basePointer + e.instancePath;
  const place = placeFor(ctx, pointer);
  const rule = ctx.rules.nameRule(schema);
  const fix = rule?.fix(key);
  let hint: string | undefined;
  if (rule) hint = `use ${rule.rule}${fix ? `, for example "${fix}"` : ''}`;
  else if (e.keyword === 'pattern') hint = `names here must match ${String((e.params as { pattern?: unknown }).pattern)}`;
  else if (e.keyword === 'maxLength') hint = `names here have at most ${String((e.params as { limit?: unknown }).limit)} characters`;
  const predicate = `has an invalid ${rule?.noun ?? 'name'} ${renderValue(key)}`;
  return [{ ...finding('INVALID_NAME', `${pointer}/${escape(key)}`, phrase(place, predicate), hint), part: 'key' }];
}

function typeHint(expected: string[], data: unknown, schema: JsonSchema | undefined, ctx: SchemaErrorContext): string | undefined {
  if (ctx.rules.isDuration(schema)) {
    return typeof data === 'number' ? `${DURATION_HINT}; a number alone has no unit` : DURATION_HINT;
  }
  const scalar = typeof data === 'string' || typeof data === 'number' || typeof data === 'boolean';
  if (expected.includes('array') && scalar) return `write a list, for example [${typeof data === 'string' ? data : String(data)}]`;
  if (expected.includes('string') && (typeof data === 'number' || typeof data === 'boolean')) return `put it in quotes: "${String(data)}"`;
  return describe(schema);
}

/** Guesses a duration from common spellings: `2 minutes` → `2m`, `90 sec` → `90s`. */
function durationHint(data: unknown): string {
  if (typeof data !== 'string') return DURATION_HINT;
  const m = /^\s*(\d+)\s*(ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?)\s*$/i.exec(data);
  if (!m) return DURATION_HINT;
  const unit = m[2]!.toLowerCase();
  const short = unit.startsWith('ms') || unit.startsWith('milli') ? 'ms' : unit[0]!;
  return `${DURATION_HINT}; did you mean "${m[1]}${short}"?`;
}

// ---------------------------------------------------------------------------------------------
// Helpers.

function finding(code: DiagnosticCode, pointer: string, message: string, hint?: string): Finding {
  return { code, pointer, part: 'value', message, ...(hint ? { hint } : {}) };
}

function escape(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The place named in messages: the subject the caller gave, else derived from the plan document. */
function placeFor(ctx: SchemaErrorContext, pointer: string): Place {
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
function describe(schema: unknown, root?: JsonSchema): string | undefined {
  if (schema === null || typeof schema !== 'object') return undefined;
  const s = schema as JsonSchema;
  if (typeof s.description === 'string') return s.description;
  if (root && typeof s.$ref === 'string') return describe(resolveRef(root, s.$ref));
  return undefined;
}

function fieldDescription(schema: JsonSchema | undefined, field: string, root: JsonSchema): string | undefined {
  const property = (schema?.properties as JsonSchema | undefined)?.[field];
  return describe(property, root);
}

function resolveRef(root: JsonSchema, ref: string): unknown {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return undefined;
  return resolvePointer(root, ref.slice(1));
}

function resolvePointer(root: unknown, pointer: string): unknown {
  let node = root;
  for (const segment of segmentsOf(pointer)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}
