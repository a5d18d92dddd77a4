// Derives docs/plan-reference.md from schemas/plan.schema.json: a section per definition with a
// table of its fields (type, required, default, description) and its examples as YAML, so the
// reference never drifts from the schema. Deterministic: the same schema gives the same bytes.
// `test/unit/model/generated-files.test.ts` fails when the committed file is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import YAML from 'yaml';

/** Sections in reading order; definitions not listed here follow in schema order. */
const ORDER = [
  'metadata',
  'spec',
  'objectives',
  'adapterInstance',
  'sites',
  'parameter',
  'notifications',
  'modes',
  'group',
  'vm',
  'step',
  'gate',
  'manual',
  'retry',
  'duration',
  'id',
  'name',
  'identifier',
  'principal',
  'vmName',
];

const ROOT = 'plan';

/**
 * The Markdown text of the plan reference.
 *
 * @param {Record<string, any>} [schema] the plan schema (default: schemas/plan.schema.json)
 * @returns {string}
 */
export function generatePlanReference(schema = readSchema()) {
  const defs = schema.$defs ?? {};
  // A definition that is only "a list of X" (`steps`) is not worth a section: it is written inline.
  const aliases = new Set(Object.keys(defs).filter((name) => isListAlias(defs[name])));
  const names = [
    ...ORDER.filter((name) => defs[name] && !aliases.has(name)),
    ...Object.keys(defs).filter((name) => !ORDER.includes(name) && !aliases.has(name)),
  ];
  const ctx = { schema, defs, aliases };

  const out = [];
  out.push('<!-- Generated from schemas/plan.schema.json by scripts/gen-plan-reference.js. Do not edit: run `npm run gen`. -->');
  out.push('');
  out.push('# Plan reference');
  out.push('');
  out.push(
    'Every field a drplan plan file may contain, generated from the plan schema ' +
      '(`schemas/plan.schema.json`, JSON Schema draft 2020-12). Editors that speak the YAML language ' +
      'server complete and check plans against the same schema with a `# yaml-language-server: $schema=...` modeline.',
  );
  out.push('');
  out.push('## Contents');
  out.push('');
  out.push(`- [${ROOT}](#${anchor(ROOT)}): ${firstSentence(schema.description)}`);
  for (const name of names) out.push(`- [${name}](#${anchor(name)})${defs[name].description ? `: ${firstSentence(defs[name].description)}` : ''}`);
  out.push('');
  out.push(...section(ROOT, schema, ctx));
  for (const name of names) out.push(...section(name, defs[name], ctx));
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

function readSchema() {
  return JSON.parse(readFileSync(new URL('../schemas/plan.schema.json', import.meta.url), 'utf8'));
}

function section(name, def, ctx) {
  const out = [`## ${name}`, ''];
  if (def.description) out.push(def.description, '');
  const alternatives = def.anyOf ?? def.oneOf;
  if (alternatives) {
    out.push('One of:', '');
    for (const branch of alternatives) {
      out.push(`- ${typeText(branch, ctx)}${branch.description ? `: ${branch.description}` : ''}`);
    }
    out.push('');
    alternatives.filter(hasFields).forEach((branch) => out.push(...fieldTable(branch, ctx), ''));
  } else if (hasFields(def) || def.type === 'object') {
    out.push(`Type: ${typeText(def, ctx, { top: true })}.`, '');
    if (hasFields(def)) out.push(...fieldTable(def, ctx), '');
  } else {
    out.push(`Type: ${typeText(def, ctx, { top: true })}.`, '');
  }
  out.push(...examplesOf(name, def, ctx));
  return out;
}

function hasFields(schema) {
  return schema && typeof schema === 'object' && schema.properties && Object.keys(schema.properties).length > 0;
}

function isListAlias(def) {
  return def && def.type === 'array' && def.items && typeof def.items.$ref === 'string' && Object.keys(def).every((k) => k === 'type' || k === 'items');
}

// ---------------------------------------------------------------------------------------------
// Field tables.

function fieldTable(schema, ctx) {
  const rows = [];
  collectRows(schema, '', ctx, rows);
  return [
    '| Field | Type | Required | Default | Description |',
    '|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ];
}

function collectRows(schema, prefix, ctx, rows) {
  const required = new Set(schema.required ?? []);
  const others = schema.additionalProperties;
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    const target = resolve(property, ctx);
    const description = property.description ?? target.description ?? '';
    const def = property.default ?? target.default;
    const examples = scalarExamples(property.examples ?? (property.$ref ? undefined : target.examples));
    rows.push([
      `\`${prefix}${key}\``,
      typeText(property, ctx),
      required.has(key) ? 'yes' : '',
      def === undefined ? '' : code(scalar(def)),
      description + (examples ? ` Example${examples.count > 1 ? 's' : ''}: ${examples.text}.` : ''),
    ]);
    // Inline mappings (not $ref'd definitions) have no section of their own: list their fields here.
    if (!property.$ref) {
      if (hasFields(property)) collectRows(property, `${prefix}${key}.`, ctx, rows);
      for (const branch of property.anyOf ?? property.oneOf ?? []) if (hasFields(branch)) collectRows(branch, `${prefix}${key}.`, ctx, rows);
      if (property.items && hasFields(property.items)) collectRows(property.items, `${prefix}${key}[].`, ctx, rows);
      if (property.additionalProperties && hasFields(property.additionalProperties)) {
        collectRows(property.additionalProperties, `${prefix}${key}.<name>.`, ctx, rows);
      }
    }
  }
  // A mapping with named fields that also takes any other key (a VM's attributes).
  if (others && typeof others === 'object') {
    rows.push([`\`${prefix}<any other key>\``, typeText(others, ctx), '', '', others.description ?? '']);
  }
}

function typeText(schema, ctx, options = {}) {
  if (schema === true || schema === undefined) return 'any value';
  if (schema.$ref) {
    const name = refName(schema.$ref);
    if (ctx.aliases.has(name)) return typeText(ctx.defs[name], ctx);
    return `[${name}](#${anchor(name)})`;
  }
  if (schema.const !== undefined) return code(scalar(schema.const));
  if (schema.enum) return schema.enum.map((v) => code(scalar(v))).join(' or ');
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return alternatives.map((b) => typeText(b, ctx)).join(', or ');

  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  const words = types.map((type) => {
    switch (type) {
      case 'array':
        return `list of ${schema.items ? typeText(schema.items, ctx) : 'any value'}`;
      case 'object':
        if (hasFields(schema) && !options.top) return 'mapping (fields below)';
        if (schema.additionalProperties === false && !hasFields(schema)) return 'empty mapping (`{}`)';
        if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
          const key = schema.propertyNames ? typeText(schema.propertyNames, ctx) : 'any key';
          return `map of ${key} to ${typeText(schema.additionalProperties, ctx)}`;
        }
        return 'mapping';
      case 'string':
        return schema.minLength === 1 && schema.maxLength === undefined ? 'non-empty string' : 'string';
      default:
        return type;
    }
  });
  const constraints = constraintsOf(schema);
  return `${words.join(' or ') || 'any value'}${constraints.length ? ` (${constraints.join(', ')})` : ''}`;
}

function constraintsOf(schema) {
  const out = [];
  const range = (min, max, unit) => {
    if (min !== undefined && max !== undefined) out.push(`${min}–${max}${unit}`);
    else if (min !== undefined) out.push(`at least ${min}${unit}`);
    else if (max !== undefined) out.push(`at most ${max}${unit}`);
  };
  range(schema.minimum, schema.maximum, '');
  if (!(schema.minLength === 1 && schema.maxLength === undefined)) range(schema.minLength, schema.maxLength, ' characters');
  range(schema.minItems, schema.maxItems, schema.minItems === 1 && schema.maxItems === undefined ? ' item' : ' items');
  range(schema.minProperties, schema.maxProperties, schema.minProperties === 1 && schema.maxProperties === undefined ? ' entry' : ' entries');
  if (schema.uniqueItems) out.push('no duplicates');
  if (schema.pattern) out.push(`matching ${code(schema.pattern)}`);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Examples.

function examplesOf(name, def, ctx) {
  const out = [];
  const own = def.examples ?? [];
  const scalars = scalarExamples(own);
  if (scalars) out.push(`Example${scalars.count > 1 ? 's' : ''}: ${scalars.text}.`, '');
  const structured = own.filter((e) => e !== null && typeof e === 'object');
  structured.forEach((example, i) => {
    out.push(structured.length > 1 ? `Example ${i + 1}:` : 'Example:', '', ...yamlBlock(example), '');
  });
  // Structured examples of fields, shown as they are written in a plan.
  for (const [field, property] of Object.entries(def.properties ?? {})) {
    const examples = (property.examples ?? []).filter((e) => e !== null && typeof e === 'object');
    examples.forEach((example) => out.push(`Example of \`${field}\`:`, '', ...yamlBlock({ [field]: example }), ''));
  }
  return out;
}

function yamlBlock(value) {
  return ['```yaml', YAML.stringify(value, { lineWidth: 0 }).trimEnd(), '```'];
}

function scalarExamples(examples) {
  const scalars = (examples ?? []).filter((e) => e === null || typeof e !== 'object');
  if (scalars.length === 0) return undefined;
  return { count: scalars.length, text: scalars.map((e) => code(scalar(e))).join(', ') };
}

// ---------------------------------------------------------------------------------------------
// Helpers.

function resolve(schema, ctx) {
  let node = schema;
  for (let i = 0; i < 10 && node && node.$ref; i++) node = ctx.defs[refName(node.$ref)] ?? {};
  return node ?? {};
}

function refName(ref) {
  return ref.replace(/^#\/\$defs\//, '');
}

/** GitHub's heading anchor for a one-word heading. */
function anchor(name) {
  return name.toLowerCase();
}

function firstSentence(text) {
  if (!text) return '';
  const m = /^(.*?[.!?])(\s|$)/.exec(text);
  return m ? m[1] : text;
}

function scalar(value) {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function code(text) {
  // A backtick inside inline code needs a longer fence.
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}

function cell(text) {
  return String(text).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(new URL('../docs/plan-reference.md', import.meta.url), generatePlanReference());
}
