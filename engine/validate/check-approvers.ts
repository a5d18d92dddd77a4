import { allSteps, type Plan } from '../model/plan.js';
import { hasOwn } from '../model/own.js';
import type { DiagnosticSink } from './diagnostic-sink.js';
import { suggest } from '../model/did-you-mean.js';

/**
 * Gates and manual steps name approver groups or principals that exist, and no gate asks for a
 * quorum larger than the distinct principals it allows (it could never open).
 */
export function checkApprovers(plan: Plan, sink: DiagnosticSink): void {
  const groups = Object.keys(plan.approvers);
  const principals = new Set(Object.values(plan.approvers).flat());
  const names = [...groups, ...principals];

  /** Reports unknown names; true when all are known (only then is a quorum check meaningful). */
  const checkNames = (list: readonly string[], pointer: string, what: string): boolean => {
    let allKnown = true;
    list.forEach((name, i) => {
      if (hasOwn(plan.approvers, name) || principals.has(name)) return;
      allKnown = false;
      const guess = suggest(name, names);
      sink.report('UNKNOWN_APPROVER', `${pointer}/${i}`, `${what} names "${name}", which is neither an approver group nor a principal in spec.approvers`, {
        hint: guess
          ? `did you mean "${guess}"?`
          : groups.length > 0
            ? `approver groups: ${groups.join(', ')}; add "${name}" to one of them in spec.approvers`
            : 'declare approver groups under spec.approvers, e.g. `approvers: { dba: [alice, bob] }`',
      });
    });
    return allKnown;
  };

  const checkQuorum = (quorum: number, allowed: readonly string[], pointer: string, what: string) => {
    const reachable = allowed.filter((p) => principals.has(p)).length;
    if (quorum > reachable) {
      sink.report('QUORUM_TOO_LARGE', pointer, `${what} needs ${quorum} approvals but only ${reachable} distinct principal${reachable === 1 ? ' is' : 's are'} allowed`, {
        hint: `lower the quorum to at most ${reachable}, or add principals to the approver groups it names`,
      });
    }
  };

  for (const step of allSteps(plan)) {
    if (step.kind === 'gate') {
      const gate = step.gate;
      if (checkNames(gate.approvers, `${step.pointer}/gate/approvers`, `gate "${step.id}"`)) {
        checkQuorum(gate.quorum, gate.principals, `${step.pointer}/gate/${written(plan, `${step.pointer}/gate/quorum`) ? 'quorum' : 'approvers'}`, `gate "${step.id}"`);
      }
      if (typeof gate.onTimeout === 'object') {
        const e = gate.onTimeout.escalate;
        const base = `${step.pointer}/gate/onTimeout/escalate`;
        if (checkNames(e.approvers, `${base}/approvers`, `gate "${step.id}" escalation`)) {
          checkQuorum(e.quorum, e.principals, `${base}/${written(plan, `${base}/quorum`) ? 'quorum' : 'approvers'}`, `gate "${step.id}" escalation`);
        }
      }
    } else if (step.kind === 'manual') {
      checkNames(step.manual.assignees, `${step.pointer}/manual/assignees`, `manual step "${step.id}"`);
    }
  }
}

/** Whether the plan spells out the value at `pointer` (rather than leaving it to a default). */
function written(plan: Plan, pointer: string): boolean {
  let node: unknown = plan.document;
  for (const s of pointer.split('/').slice(1)) {
    if (node === null || typeof node !== 'object' || !hasOwn(node, s)) return false;
    node = (node as Record<string, unknown>)[s];
  }
  return node !== undefined;
}
