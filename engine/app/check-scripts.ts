import { accessSync, constants, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { Diagnostic } from '../model/diagnostic.js';
import { allSteps, type Plan } from '../model/plan.js';
import type { PlanSource } from '../model/plan-source.js';

/**
 * A `run` step whose script is a path next to the plan must find it there, executable: caught
 * when the plan is validated rather than in the middle of a failover. Validation proper is pure,
 * so this check lives at the edge, where the file system may be read.
 */
export function checkRunScripts(plan: Plan, source: PlanSource, planPath: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const planDir = dirname(planPath);
  for (const step of allSteps(plan)) {
    if (step.kind !== 'run') continue;
    const program = step.argv[0] ?? '';
    // Bare names are looked up in PATH at run time; templated paths are only known then.
    if (program.includes('{{') || (!step.script && !program.includes('/'))) continue;
    const path = isAbsolute(program) ? program : resolve(planDir, program);
    const pointer = step.script ? `${step.pointer}/run/script` : `${step.pointer}/run/0`;
    const at = source.locate(pointer);
    const base = { severity: 'error' as const, file: source.file, line: at.line, col: at.col, endLine: at.endLine, endCol: at.endCol, pointer };
    let isFile = false;
    try {
      isFile = statSync(path).isFile();
    } catch {
      out.push({ ...base, code: 'SCRIPT_NOT_FOUND', message: `step "${step.id}" runs ${program}, which does not exist (looked for ${path})`, hint: 'paths in `run` are relative to the plan file; fix the path or add the script' });
      continue;
    }
    if (!isFile) {
      out.push({ ...base, code: 'SCRIPT_NOT_FOUND', message: `step "${step.id}" runs ${program}, which is not a file`, hint: 'point `run` at the script itself' });
      continue;
    }
    try {
      accessSync(path, constants.X_OK);
    } catch {
      out.push({ ...base, code: 'SCRIPT_NOT_EXECUTABLE', message: `step "${step.id}" runs ${program}, which is not executable`, hint: `chmod +x ${program} (and commit the mode: git update-index --chmod=+x ${program})` });
    }
  }
  return out;
}
