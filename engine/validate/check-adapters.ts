import { SITE_OPERATIONS, type AdapterCatalog, type OperationDeclaration, type SiteOperation } from '../../adapters/types.js';
import type { ModeName, Plan } from '../model/plan.js';
import { own } from '../model/own.js';
import { quoteList, type DiagnosticSink } from './diagnostic-sink.js';
import { suggest } from '../model/did-you-mean.js';
import { checkAgainstSchema } from './schema-validator.js';
import { containsTemplate } from '../model/template-references.js';

/** The site operations each mode calls on the source and target instances (SPEC §2.3). */
export const MODE_SITE_OPERATIONS: Record<ModeName, { source: SiteOperation[]; target: SiteOperation[] }> = {
  planned: { source: ['shutdown', 'sync'], target: ['failover', 'start'] },
  unplanned: { source: [], target: ['failover', 'start'] },
  test: { source: [], target: ['testFailover', 'cleanupTest'] },
};

/**
 * Adapter types exist, configs match their type's schema, every action names a declared
 * operation with a matching `with`, and the site instances provide the operations each declared
 * mode needs. Fills `plan.adapters[*].operations` for the stages after validation.
 */
export function checkAdapters(plan: Plan, catalog: AdapterCatalog, sink: DiagnosticSink): void {
  const instances = Object.keys(plan.adapters);
  for (const instance of Object.values(plan.adapters)) {
    const declaration = catalog.get(instance.type);
    if (!declaration) {
      const guess = suggest(instance.type, catalog.keys());
      sink.report('UNKNOWN_ADAPTER_TYPE', `${instance.pointer}/type`, `adapter "${instance.name}" has unknown type "${instance.type}"`, {
        hint: guess ? `did you mean "${guess}"?` : `known types: ${quoteList([...catalog.keys()].sort())}`,
      });
      continue;
    }
    const before = sink.count;
    sink.add(
      checkAgainstSchema(declaration.configSchema, instance.config, sink.source, `${instance.pointer}/config`, {
        code: 'INVALID_ADAPTER_CONFIG',
        subject: `adapter "${instance.name}" config`,
      }),
    );
    if (sink.count === before) instance.operations = declaration.operations(instance.config);
  }
  const known = (name: string) => own(plan.adapters, name) !== undefined;

  for (const role of ['source', 'target'] as const) {
    const name = plan.sites[role];
    if (!known(name)) {
      const guess = suggest(name, instances);
      sink.report('UNKNOWN_ADAPTER', `/spec/sites/${role}`, `sites.${role} names adapter "${name}", which is not declared in spec.adapters`, {
        hint: guess ? `did you mean "${guess}"?` : `declared adapters: ${quoteList(instances)}`,
      });
      continue;
    }
    const instance = own(plan.adapters, name)!;
    if (!catalog.has(instance.type) || Object.keys(instance.operations).length === 0) continue;
    const needed = new Set<SiteOperation>();
    for (const mode of Object.keys(plan.modes) as ModeName[]) for (const op of MODE_SITE_OPERATIONS[mode][role]) needed.add(op);
    const missing = [...needed].filter((op) => !own(instance.operations, op));
    if (missing.length > 0) {
      sink.report('SITE_OPERATION_MISSING', `/spec/sites/${role}`, `sites.${role} "${name}" (type ${instance.type}) lacks ${quoteList(missing)}, which the declared modes need`, {
        hint: `site adapters provide ${SITE_OPERATIONS.join(', ')}; pick a site adapter or drop the modes that need these`,
      });
    }
  }

  for (const step of [...plan.prechecks, ...plan.groups.flatMap((g) => [...g.pre, ...g.post]), ...plan.finalize, ...plan.cleanup, ...plan.onFailure]) {
    // A step without any kind is normalised to an action on adapter "": STEP_KIND_MISSING says it all.
    if (step.kind !== 'action' || step.adapter === '') continue;
    const instance = own(plan.adapters, step.adapter);
    if (!instance) {
      const guess = suggest(step.adapter, instances);
      sink.report('UNKNOWN_ADAPTER', `${step.pointer}/action`, `step "${step.id}" calls adapter "${step.adapter}", which is not declared in spec.adapters`, {
        hint: guess ? `did you mean "${guess}.${step.operation}"?` : `declared adapters: ${quoteList(instances)}`,
      });
      continue;
    }
    if (!catalog.has(instance.type) || Object.keys(instance.operations).length === 0) continue;
    const operation: OperationDeclaration | undefined = own(instance.operations, step.operation);
    if (!operation) {
      const names = Object.keys(instance.operations).sort();
      const guess = suggest(step.operation, names);
      sink.report('UNKNOWN_OPERATION', `${step.pointer}/action`, `step "${step.id}" uses action "${step.adapter}.${step.operation}", but ${step.adapter} has no operation "${step.operation}"`, {
        hint: `${guess ? `did you mean "${step.adapter}.${guess}"? ` : ''}${step.adapter} provides: ${names.join(', ')}`,
      });
      continue;
    }
    const problems = checkAgainstSchema(operation.with, step.with, sink.source, `${step.pointer}/with`, {
      code: 'INVALID_WITH',
      subject: `step "${step.id}"`,
    });
    // A templated string is checked when it is rendered, at run time: its type is not known yet.
    sink.add(problems.filter((d) => !containsTemplate(valueAt(step.with, d.pointer.slice(`${step.pointer}/with`.length)))));
  }
}

function valueAt(root: unknown, pointer: string): unknown {
  let node = root;
  for (const segment of pointer.split('/').slice(1)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[segment.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node;
}
