/**
 * Checks values against JSON Schemas and reports problems as diagnostics. The plan schema is
 * compiled at build time (scripts/gen-schema-validator.js: compiling it at start-up costs
 * ~60-80 ms of a 300 ms budget); adapter schemas, small and only known at run time, are compiled
 * by one lazily created Ajv instance and cached per schema.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { JsonSchema } from '../../adapters/types.js';
import type { Diagnostic, DiagnosticCode } from '../model/diagnostic.js';
import type { PlanSource } from '../model/plan-source.js';
import { schemaErrorsToDiagnostics } from './schema-diagnostics.js';
import { planBranchValidators, planSchema, planValidator, type GeneratedValidator } from './schema-plan.generated.js';
import { createSchemaRules, type SchemaRules } from './schema-rules.js';
import { placeOf, phrase } from './schema-wording.js';

// ajv ships CommonJS with an ESM-style `export default`; under NodeNext the class is `.default`.
const Ajv2020 = Ajv2020Module.default;
const addFormats = addFormatsModule.default;
type Ajv = InstanceType<typeof Ajv2020>;

/**
 * The options scripts/gen-schema-validator.js compiles the plan schema with, except that adapter
 * schemas are not first validated against the draft 2020-12 meta-schema: compiling that costs
 * 35-80 ms on a cold start. Strict mode and ajv's per-keyword checks still reject what would
 * matter (unknown keywords and types, values of the wrong kind, bad patterns, missing refs).
 */
// Unknown keywords and formats stay errors (a typo in a schema must not silently accept
// anything), but plan authors write `with` schemas too: `{ properties: ... }` without
// `type: object` is ordinary JSON Schema and must not be refused.
const AJV_OPTIONS = { allErrors: true, strict: true, strictTypes: false, strictRequired: false, allowUnionTypes: true, verbose: true, validateSchema: false } as const;

/**
 * Checks a loaded plan document against `schemas/plan.schema.json`. Every problem is reported,
 * at its position, in plan terms; never throws on any input.
 *
 * @example
 * const { source } = loadPlanText(text, 'plans/db.yaml');
 * for (const d of checkPlanShape(source!)) console.log(`${d.file}:${d.line}:${d.col} ${d.code} ${d.message}`);
 */
export function checkPlanShape(source: PlanSource): Diagnostic[] {
  if (planValidator(source.value)) return [];
  return schemaErrorsToDiagnostics(planValidator.errors ?? [], {
    source,
    schema: planSchema,
    value: source.value,
    basePointer: '',
    rules: (planRules ??= createSchemaRules(planSchema, { names: true })),
    validateBranch: (branchPointer, data, instancePath) => runBranch(planBranchValidators[branchPointer], data, instancePath, source.value),
  });
}

export interface SchemaCheckOptions {
  /** Every diagnostic gets this code (e.g. INVALID_ADAPTER_CONFIG, INVALID_WITH); messages stay specific. */
  code?: DiagnosticCode;
  /**
   * How messages name the value at `basePointer`. With `step "dns-alias"` and a base of
   * `…/with`, a problem reads `step "dns-alias": with.name must be a string, got a number`;
   * a subject that already ends with the base's name (`adapter "site" config`) reads
   * `adapter "site": config.seed …`. Default: derived from the pointer and the plan document.
   */
  subject?: string;
}

/**
 * Checks `value`, found at `basePointer` in the plan, against a schema declared at run time (an
 * adapter's `config` schema, an operation's `with` schema). Compiled validators are cached per
 * schema object. A schema that cannot be compiled is reported as the adapter's problem, once, at
 * `basePointer`; it never throws.
 *
 * @example
 * checkAgainstSchema(operation.with, step.with, source, `${step.pointer}/with`, {
 *   code: 'INVALID_WITH',
 *   subject: `step "${step.id}"`,
 * });
 */
export function checkAgainstSchema(
  schema: JsonSchema,
  value: unknown,
  source: PlanSource,
  basePointer: string,
  options: SchemaCheckOptions = {},
): Diagnostic[] {
  const compiled = compileCached(schema);
  if ('problem' in compiled) return [unusableSchema(compiled.problem, source, basePointer, options)];
  let errors: ErrorObject[];
  try {
    if (compiled.validate(value)) return [];
    errors = compiled.validate.errors ?? [];
  } catch (error) {
    // Only a broken schema makes a compiled validator throw (a custom format, say): its fault, not the plan's.
    return [unusableSchema(explainCompileError(error), source, basePointer, options)];
  }
  return schemaErrorsToDiagnostics(errors, {
    source,
    schema,
    value,
    basePointer,
    rules: (adapterRules ??= createSchemaRules(planSchema, { names: false })),
    validateBranch: (branchPointer, data, instancePath) => runBranch(compiled.branch(branchPointer), data, instancePath, value),
    ...(options.code ? { code: options.code } : {}),
    ...(options.subject !== undefined ? { subject: options.subject } : {}),
  });
}

let planRules: SchemaRules | undefined;
let adapterRules: SchemaRules | undefined;

function runBranch(validate: GeneratedValidator | ValidateFunction | undefined, data: unknown, instancePath: string, rootData: unknown): ErrorObject[] | undefined {
  if (!validate) return undefined;
  // parentData matters only to `$data` references, which drplan's schemas do not use.
  const context = { instancePath, parentData: {}, parentDataProperty: '', rootData: rootData as Record<string, unknown>, dynamicAnchors: {} };
  if (validate(data, context)) return [];
  return validate.errors ?? [];
}

// ---------------------------------------------------------------------------------------------
// Run-time compilation of adapter-declared schemas.

interface Compiled {
  validate: ValidateFunction;
  /** The validator of the subschema at a JSON pointer (an anyOf/oneOf branch). */
  branch(pointer: string): ValidateFunction | undefined;
}
type CompileResult = Compiled | { problem: string };

let ajv: Ajv | undefined;
/** By identity, then by content: adapters often build equal schemas afresh, and ajv keeps what it compiles. */
const byObject = new WeakMap<object, CompileResult>();
const byContent = new Map<string, CompileResult>();
let nextKey = 0;

function runtimeAjv(): Ajv {
  if (!ajv) {
    ajv = new Ajv2020({ ...AJV_OPTIONS });
    addFormats(ajv);
  }
  return ajv;
}

function compileCached(schema: JsonSchema): CompileResult {
  let result = byObject.get(schema);
  if (result) return result;
  let content: string;
  try {
    content = JSON.stringify(schema);
  } catch {
    result = { problem: 'it is not plain JSON data' };
    byObject.set(schema, result);
    return result;
  }
  result = byContent.get(content) ?? compileNow(schema, content);
  byContent.set(content, result);
  byObject.set(schema, result);
  return result;
}

function compileNow(schema: JsonSchema, content: string): CompileResult {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return { problem: 'it is not a JSON Schema object' };
  const instance = runtimeAjv();
  const id = typeof schema.$id === 'string' ? schema.$id : undefined;
  if (id !== undefined && instance.getSchema(id)) return { problem: `another schema already uses the $id "${id}"` };
  const key = id ?? `drplan:runtime-schema:${nextKey++}`;
  try {
    // A private copy: the caller's object may be mutated later; ajv must keep what it compiled.
    instance.addSchema(JSON.parse(content) as JsonSchema, id === undefined ? key : undefined);
    const validate = instance.getSchema(key);
    if (!validate) throw new Error('schema not registered');
    const branches = new Map<string, ValidateFunction | undefined>();
    return {
      validate,
      branch(pointer) {
        if (!branches.has(pointer)) {
          try {
            branches.set(pointer, instance.getSchema(`${key}#${pointer}`));
          } catch {
            branches.set(pointer, undefined);
          }
        }
        return branches.get(pointer);
      },
    };
  } catch (error) {
    instance.removeSchema(key);
    return { problem: explainCompileError(error) };
  }
}

/** ajv's reason in drplan's words; its own text is for drplan developers, not plan authors. */
function explainCompileError(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  let m: RegExpExecArray | null;
  if ((m = /unknown keyword: "([^"]+)"/.exec(text))) return `it uses the unknown keyword "${m[1]}"`;
  if ((m = /missing type "([^"]+)" for keyword "([^"]+)"/.exec(text))) return `keyword "${m[2]}" is used without "type": "${m[1]}"`;
  if ((m = /can't resolve reference (\S+)/.exec(text))) return `its reference "${m[1]}" points nowhere`;
  if ((m = /unknown format "([^"]+)"/.exec(text))) return `it uses the unknown format "${m[1]}"`;
  if ((m = /^type must be JSONType/.exec(text))) return '"type" names something that is not a JSON type';
  if ((m = /^(\$?\w+) value must be/.exec(text))) return `keyword "${m[1]}" has a value of the wrong kind`;
  if (/Invalid regular expression/.test(text)) return 'one of its patterns is not a valid regular expression';
  if ((m = /required property "([^"]+)" is not defined/.exec(text))) return `it requires "${m[1]}" without defining it`;
  if (/schema is invalid/.test(text)) return 'it is not a valid JSON Schema (draft 2020-12)';
  if (/strict mode/.test(text)) return 'it relies on something strict JSON Schema checking forbids';
  return 'it cannot be compiled';
}

function unusableSchema(problem: string, source: PlanSource, basePointer: string, options: SchemaCheckOptions): Diagnostic {
  const at = source.locate(basePointer, 'value');
  const place = options.subject !== undefined ? { container: options.subject, path: '' } : placeOf(source.value, basePointer);
  return {
    code: options.code ?? 'INVALID_VALUE',
    severity: 'error',
    file: source.file,
    line: at.line,
    col: at.col,
    endLine: at.endLine,
    endCol: at.endCol,
    pointer: basePointer,
    message: phrase(place, `cannot be checked: the schema declared for it is unusable (${problem})`),
    hint: "this is a problem in the adapter's declaration, not in the plan: report it to the adapter's authors (if the schema comes from the plan itself, such as a simulator operation's `with`, fix it there)",
  };
}
