/**
 * Turns ajv's errors into drplan diagnostics: a stable code per kind of problem, a position
 * from the source map, and a message in plan terms. anyOf/oneOf failures are resolved here to
 * the branch the author meant; every other error is worded in schema-keywords.ts.
 */
import type { ErrorObject } from 'ajv';
import type { JsonSchema } from '../../adapters/types.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { describe, escapeSegment, finding, placeFor, resolveRef, type Finding, type SchemaErrorContext } from './schema-context.js';
import { describeError } from './schema-keywords.js';
import { describeTypes, describeValue, jsonType, phrase, typeAccepts, valueAt } from './schema-wording.js';

export type { SchemaErrorContext } from './schema-context.js';

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
    indexHolders(child, `${pointer}/${escapeSegment(key)}`, index);
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
