/**
 * The plan pipeline as tests drive it: text → load → validate (→ resolve), the same way
 * `drplan validate` does it (engine/app/read-plans.ts), plus an in-memory CLI io.
 */
import { readFileSync } from 'node:fs';
import { builtinCatalog } from '../../adapters/catalog.js';
import { checkRunScripts } from '../../engine/app/check-scripts.js';
import type { CliIo } from '../../engine/cli/io.js';
import { loadPlanText } from '../../engine/load/load-plan.js';
import type { Diagnostic } from '../../engine/model/diagnostic.js';
import type { Plan } from '../../engine/model/plan.js';
import type { PlanSource } from '../../engine/model/plan-source.js';
import { validatePlan } from '../../engine/validate/validate-plan.js';

export interface Checked {
  source: PlanSource | null;
  plan: Plan | null;
  diagnostics: Diagnostic[];
}

/** Loads and validates plan text like `drplan validate`: validation runs only on a cleanly loaded document. */
export function checkPlanText(text: string | Uint8Array, file = 'plan.yaml'): Checked {
  const loaded = loadPlanText(text, file);
  if (!loaded.source || loaded.diagnostics.some((d: Diagnostic) => d.severity === 'error')) {
    return { source: loaded.source ?? null, plan: null, diagnostics: loaded.diagnostics };
  }
  const validated = validatePlan(loaded.source, builtinCatalog);
  return { source: loaded.source, plan: validated.plan, diagnostics: [...loaded.diagnostics, ...validated.diagnostics] };
}

/**
 * The whole check `drplan validate` makes of a plan file: load + validate, then (for a valid
 * plan) that its `run` scripts exist and are executable, as engine/app/read-plans.ts does.
 */
export function checkPlanFile(path: string, file = path): Checked {
  const checked = checkPlanText(readFileSync(path), file);
  if (!checked.plan || !checked.source) return checked;
  const scripts = checkRunScripts(checked.plan, checked.source, path);
  return { ...checked, plan: scripts.length > 0 ? null : checked.plan, diagnostics: [...checked.diagnostics, ...scripts] };
}

/** Loads and validates text that must be a valid plan; throws with the diagnostics otherwise. */
export function validPlan(text: string, file = 'plan.yaml'): Plan {
  const checked = checkPlanText(text, file);
  const errors = checked.diagnostics.filter((d) => d.severity === 'error');
  if (!checked.plan || errors.length > 0) {
    throw new Error(`expected a valid plan, got:\n${errors.map((d) => `${d.line}:${d.col} ${d.code} ${d.message}`).join('\n')}`);
  }
  return checked.plan;
}

/** The comparable part of a diagnostic. */
export interface DiagnosticKey {
  code: string;
  severity: string;
  line: number;
  col: number;
}

type Keyed = { code: string; severity: string; line: number; col: number };

export function diagnosticKey(d: Keyed): DiagnosticKey {
  return { code: d.code, severity: d.severity, line: d.line, col: d.col };
}

/** Diagnostics as sorted, comparable keys (for set equality in assertions). */
export function diagnosticKeys(ds: readonly Keyed[]): DiagnosticKey[] {
  return ds
    .map(diagnosticKey)
    .sort((a, b) => a.line - b.line || a.col - b.col || a.code.localeCompare(b.code) || a.severity.localeCompare(b.severity));
}

export interface CapturedIo extends CliIo {
  out: string[];
  err: string[];
  readonly stdoutText: string;
  readonly stderrText: string;
}

/** A CliIo that records what the CLI prints. */
export function captureIo(cwd: string, env: Record<string, string | undefined> = {}): CapturedIo {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (s) => void out.push(s),
    stderr: (s) => void err.push(s),
    env: { NO_COLOR: '1', ...env },
    cwd,
    isTTY: false,
    get stdoutText() {
      return out.join('');
    },
    get stderrText() {
      return err.join('');
    },
  };
}
