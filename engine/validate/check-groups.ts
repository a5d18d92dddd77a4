import type { Plan } from '../model/plan.js';
import { quoteList, type DiagnosticSink } from './diagnostic-sink.js';
import { suggest } from '../model/did-you-mean.js';

/** Group ids unique, `dependsOn` names existing groups, no dependency cycles, each VM in one place. */
export function checkGroups(plan: Plan, sink: DiagnosticSink): void {
  const ids = new Map<string, string>();
  let duplicates = false;
  for (const group of plan.groups) {
    const first = ids.get(group.id);
    if (first) {
      duplicates = true;
      sink.report('DUPLICATE_ID', `${group.pointer}/id`, `group id "${group.id}" is already used at line ${sink.source.locate(first).line}`, {
        hint: 'give each group its own id',
      });
    } else ids.set(group.id, `${group.pointer}/id`);
  }

  for (const group of plan.groups) {
    group.dependsOn.forEach((dep, i) => {
      if (ids.has(dep)) return;
      const guess = suggest(dep, ids.keys());
      sink.report('UNKNOWN_GROUP', `${group.pointer}/dependsOn/${i}`, `group "${group.id}" depends on "${dep}", which is not a group`, {
        hint: guess ? `did you mean "${guess}"?` : `groups: ${quoteList([...ids.keys()])}`,
      });
    });
  }

  // With two groups of one id the dependency graph is ambiguous; the duplicate is the problem to fix.
  const cycle = duplicates ? null : findCycle(plan);
  if (cycle) {
    const start = plan.groups.find((g) => g.id === cycle[0]);
    sink.report('DEPENDENCY_CYCLE', `${start?.pointer ?? ''}/dependsOn`, `group dependencies form a cycle: ${cycle.join(' → ')} (each depends on the next)`, {
      part: 'key',
      hint: 'remove one of these dependencies so the groups can be ordered',
    });
  }

  const vms = new Map<string, string>();
  for (const group of plan.groups) {
    for (const vm of group.vms) {
      const first = vms.get(vm.name);
      if (first) {
        sink.report('DUPLICATE_VM', vm.pointer, `VM "${vm.name}" is already protected by group "${first}"`, {
          hint: 'a VM fails over once: list it in one group only',
        });
      } else vms.set(vm.name, group.id);
    }
  }
}

/** A dependency cycle as a closed list of group ids (first = last), or null. Unknown groups are ignored. */
export function findCycle(plan: Plan): string[] | null {
  const deps = new Map(plan.groups.map((g) => [g.id, g.dependsOn]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | null => {
    state.set(id, 'visiting');
    stack.push(id);
    for (const dep of deps.get(id) ?? []) {
      if (!deps.has(dep)) continue;
      if (state.get(dep) === 'visiting') return [...stack.slice(stack.indexOf(dep)), dep];
      if (state.get(dep) === undefined) {
        const found = visit(dep);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(id, 'done');
    return null;
  };
  for (const g of plan.groups) {
    if (state.get(g.id) === undefined) {
      const found = visit(g.id);
      if (found) return found;
    }
  }
  return null;
}
