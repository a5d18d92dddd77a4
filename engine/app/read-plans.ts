import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { AdapterCatalog } from '../../adapters/types.js';
import { loadPlanText } from '../load/load-plan.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { DiagnosticCollector, NOTHING_OMITTED, type DiagnosticCounts } from '../model/diagnostic-cap.js';
import type { Plan } from '../model/plan.js';
import type { PlanSource } from '../model/plan-source.js';
import { validatePlan } from '../validate/validate-plan.js';
import { activeAdapters } from './active-adapters.js';
import { checkRunScripts } from './check-scripts.js';

export interface CheckedPlan {
  /** The path as the user gave it (what diagnostics print). */
  file: string;
  /** Absolute path. */
  path: string;
  text?: string;
  bytes?: Buffer;
  source: PlanSource | null;
  plan: Plan | null;
  /** The first MAX_DIAGNOSTICS_PER_FILE problems, by position (errors before warnings). */
  diagnostics: Diagnostic[];
  /** The problems found past that cap, counted but not kept. */
  omitted: DiagnosticCounts;
}

/** Reads, loads and validates one plan file: the only place drplan turns a path into a Plan. */
export function readPlan(file: string, cwd: string, catalog: AdapterCatalog = activeAdapters().catalog): CheckedPlan {
  const path = resolve(cwd, file);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : String((error as Error).message);
    return { file, path, source: null, plan: null, diagnostics: [unreadable(file, `cannot read ${file}: ${why}`)], omitted: NOTHING_OMITTED };
  }
  const loaded = loadPlanText(bytes, file);
  const text = loaded.source?.text ?? safeText(bytes);
  if (!loaded.source || loaded.diagnostics.some((d) => d.severity === 'error') || (loaded.omitted?.errors ?? 0) > 0) {
    return { file, path, text, bytes, source: loaded.source, plan: null, diagnostics: loaded.diagnostics, omitted: loaded.omitted ?? NOTHING_OMITTED };
  }
  const validated = validatePlan(loaded.source, catalog);
  const scripts = validated.plan ? checkRunScripts(validated.plan, loaded.source, path) : [];
  // The loader's warnings, the validator's findings and the scripts', capped together.
  const found = new DiagnosticCollector();
  const stages: { diagnostics: Diagnostic[]; omitted?: DiagnosticCounts }[] = [loaded, validated, { diagnostics: scripts }];
  for (const stage of stages) {
    found.addAll(stage.diagnostics);
    found.addOmitted(stage.omitted ?? NOTHING_OMITTED);
  }
  const { diagnostics, omitted } = found.result();
  return { file, path, text, bytes, source: loaded.source, plan: scripts.length > 0 ? null : validated.plan, diagnostics, omitted: omitted ?? NOTHING_OMITTED };
}

/** Files and directories → plan files: directories are searched for *.yaml / *.yml, skipping dot-folders and node_modules. */
export function expandPlanPaths(paths: readonly string[], cwd: string): { files: string[]; problems: Diagnostic[] } {
  const files: string[] = [];
  const problems: Diagnostic[] = [];
  for (const given of paths) {
    const abs = resolve(cwd, given);
    let isDir = false;
    try {
      isDir = statSync(abs).isDirectory();
    } catch {
      problems.push(unreadable(given, `cannot read ${given}: no such file or directory`));
      continue;
    }
    if (!isDir) {
      files.push(given);
      continue;
    }
    const found: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
        const full = join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (/\.ya?ml$/.test(entry.name)) found.push(relative(cwd, full) || full);
      }
    };
    walk(abs);
    if (found.length === 0) problems.push(unreadable(given, `${given} holds no *.yaml or *.yml files`));
    // One by one: spreading a directory of 200,000 plans into push() overflows the stack.
    for (const f of found) files.push(f);
  }
  return { files, problems };
}

function unreadable(file: string, message: string): Diagnostic {
  return { code: 'FILE_UNREADABLE', severity: 'error', file, line: 1, col: 1, pointer: '', message, hint: 'check the path; drplan takes plan files or directories holding them' };
}

function safeText(bytes: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
