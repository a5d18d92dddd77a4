/**
 * One ajv error, one finding: a stable code, the place in plan terms, and a message written
 * here next to the keyword it explains (as ajv does in `lib/vocabularies/validation/*`), so no
 * ajv wording reaches the user.
 */
import type { ErrorObject } from 'ajv';
import type { JsonSchema } from '../../adapters/types.js';
import type { DiagnosticCode } from '../model/diagnostic.js';
import { toPointer } from '../model/plan-source.js';
import { formatDidYouMean, suggest } from '../model/did-you-mean.js';
import { describe, escapeSegment, fieldDescription, finding, placeFor, type Finding, type SchemaErrorContext } from './schema-context.js';
import { describeTypes, describeValue, jsonType, lastKey, phrase, renderValue, renderValues, segmentsOf, valueAt } from './schema-wording.js';

export const DURATION_HINT = 'write durations like 90s, 30m, 2h, 1h30m';

/** The finding for one ajv error other than anyOf/oneOf; none for errors that only echo others (`if`). */
export function describeError(e: ErrorObject, ctx: SchemaErrorContext, all: readonly ErrorObject[]): Finding[] {
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
      return [{ ...finding('UNKNOWN_FIELD', `${pointer}/${escapeSegment(key)}`, phrase(place, `has an unknown field "${key}"`), hint), part: 'key' }];
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
  return [{ ...finding('INVALID_NAME', `${pointer}/${escapeSegment(key)}`, phrase(place, predicate), hint), part: 'key' }];
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
