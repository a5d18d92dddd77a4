import Handlebars from 'handlebars';
import type { JsonObject, JsonValue } from '../../adapters/types.js';
import { TEMPLATE_BLOCK_HELPERS, TEMPLATE_HELPERS } from './template-language.js';
import { analyzeTemplate } from './template-references.js';

export interface TemplateContext {
  plan: { name: string; description?: string };
  mode: string;
  run: { id: string; initiator: string };
  params: Record<string, string | number | boolean>;
  group?: { id: string; name?: string };
  vm?: Record<string, string | number | boolean>;
  steps: Record<string, { output: JsonObject }>;
}

/** A template that failed to render, with the JSON pointer of the string it came from. */
export class TemplateError extends Error {
  constructor(
    message: string,
    readonly pointer: string,
  ) {
    super(message);
    this.name = 'TemplateError';
  }
}

/**
 * Renders plan templates: Handlebars with `noEscape` (these are not HTML), strict (a missing
 * value is an error, never an empty string), and only the helpers validation knows. Each
 * distinct template string is compiled once for the whole run.
 */
export class TemplateRenderer {
  private readonly env = Handlebars.create();
  private readonly compiled = new Map<string, Handlebars.TemplateDelegate>();
  private readonly knownHelpers: Record<string, boolean>;

  constructor() {
    for (const [name, fn] of Object.entries(TEMPLATE_HELPERS)) {
      // Handlebars passes its options hash last; helpers take only the values before it.
      this.env.registerHelper(name, (...args: unknown[]) => fn(...args.slice(0, -1)));
    }
    // Context-changing and side-effecting built-ins are not part of the plan language.
    for (const name of ['each', 'with', 'lookup', 'log']) this.env.unregisterHelper(name);
    this.knownHelpers = Object.fromEntries([...Object.keys(TEMPLATE_HELPERS), ...TEMPLATE_BLOCK_HELPERS].map((h) => [h, true]));
  }

  /** Renders one string; strings without `{{` come back as they are. */
  renderString(template: string, context: TemplateContext, pointer: string): string {
    if (!template.includes('{{')) return template;
    let fn = this.compiled.get(template);
    if (!fn) {
      fn = this.env.compile(template, { noEscape: true, strict: true, knownHelpers: this.knownHelpers, knownHelpersOnly: true });
      this.compiled.set(template, fn);
    }
    try {
      return fn(context, { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false });
    } catch (error) {
      // Handlebars' own messages ("x" not defined in [object Object], Cannot read properties of
      // undefined) do not say which reference failed; find it ourselves.
      const missing = firstUnresolved(template, context);
      const message = error instanceof Error ? error.message : String(error);
      const text = missing
        ? `template "${template}": {{${missing.path}}} is not defined when this step runs (${missing.reason})`
        : `template "${template}": ${message}`;
      throw new TemplateError(text, pointer);
    }
  }

  /** Renders every string in a JSON value, keeping its shape; pointers name each string for errors. */
  renderValue(value: JsonValue, context: TemplateContext, pointer: string): JsonValue {
    if (typeof value === 'string') return this.renderString(value, context, pointer);
    if (Array.isArray(value)) return value.map((v, i) => this.renderValue(v, context, `${pointer}/${i}`));
    if (value !== null && typeof value === 'object') {
      const out: JsonObject = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.renderValue(v, context, `${pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`);
      return out;
    }
    return value;
  }
}

/** The first path of a template that does not resolve in `context`, with why. */
function firstUnresolved(template: string, context: TemplateContext): { path: string; reason: string } | null {
  for (const finding of analyzeTemplate(template)) {
    if (finding.type !== 'path') continue;
    let node: unknown = context;
    for (const [i, part] of finding.parts.entries()) {
      if (node === null || typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, part)) {
        const prefix = finding.parts.slice(0, i + 1).join('.');
        const reason =
          finding.parts[0] === 'steps' && i === 1
            ? `step "${part}" has not succeeded in this run, so it has no output`
            : `"${prefix}" has no value`;
        return { path: finding.parts.join('.'), reason };
      }
      node = (node as Record<string, unknown>)[part];
    }
  }
  return null;
}
