import { realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute } from 'node:path';
import { NoSuchRunError } from '../store/file-store.js';
import type { JournalRecord } from '../store/journal.js';
import { UntrustedJournalError } from '../run/replay-decisions.js';
import { JournalDamageError } from '../store/read-journal.js';

/**
 * The CLI's messages name files on the server — the state folder, a journal, a plan — because its
 * user sits at that machine. A browser's user does not, and a path tells whoever reads the answer
 * how the host is laid out (user names, checkouts, mounts). The HTTP API says what a thing is
 * instead of where it is.
 */
export type Redact = (text: string) => string;

/**
 * Replaces the folders the server knows about — the state folder, its working directory, the home
 * directory — however spelled (as given, or with symlinks resolved), longest first, so a path
 * under one of them becomes `<state>/…`, `./…` or `~/…`.
 *
 * @example
 * const redact = pathRedactor({ stateDir: '/srv/dr/.drplan', cwd: '/srv/dr' });
 * redact('no run "x" in /srv/dr/.drplan') // 'no run "x" in <state>'
 */
export function pathRedactor(roots: { stateDir: string; cwd: string }): Redact {
  const pairs: [string, string][] = [];
  const add = (path: string, as: string): void => {
    for (const spelling of new Set([path, realOrSame(path)])) if (isAbsolute(spelling) && spelling !== '/') pairs.push([spelling, as]);
  };
  add(roots.stateDir, '<state>');
  add(roots.cwd, '.');
  add(homedir(), '~');
  pairs.sort((a, b) => b[0].length - a[0].length);
  return (text) => {
    let out = text;
    for (const [path, as] of pairs) out = out.split(path).join(as);
    return out;
  };
}

/** An error's message as the HTTP API gives it: the run and the line, never the file's path. */
export function publicErrorMessage(error: unknown, redact: Redact): string {
  if (error instanceof NoSuchRunError) return `no run "${error.runId}" on this server (GET /api/runs lists its runs)`;
  if (error instanceof JournalDamageError) {
    return `journal of run ${basename(dirname(error.file))}, line ${error.line}: journal record ${error.problem.message}. drplan will not run anything from a damaged journal; \`drplan verify\` on the server shows the chain, and the run can only be inspected, not resumed.`;
  }
  if (error instanceof UntrustedJournalError) {
    const lines = error.untrusted.slice(0, 10).map((u) => `journal of run ${error.runId}, line ${u.seq}: ${u.reason}`);
    if (error.untrusted.length > 10) lines.push(`… and ${error.untrusted.length - 10} more`);
    return redact(`${lines.join('\n')}\n  hint: the journal holds records that no live decision could have produced; drplan will not run anything from it. \`drplan verify\` on the server lists every problem.`);
  }
  return redact(error instanceof Error ? error.message : String(error));
}

/**
 * A plan path in a message, as its `planFile` (what the operator typed, usually relative) or its
 * file name when that was absolute too.
 */
export function planPathRedactor(planPath: string | undefined, planFile: string, redact: Redact): Redact {
  const shown = isAbsolute(planFile) ? basename(planFile) : planFile;
  return (text) => redact(planPath ? text.split(planPath).join(shown) : text);
}

/**
 * A journal record as the event stream sends it: the same record, except that the start record's
 * `planPath` (the plan's absolute path, kept for `drplan resume`) is left out; `planFile` says
 * which plan it was.
 */
export function publicRecord(record: JournalRecord): JournalRecord {
  if (record.type !== 'run.started' || record.data.planPath === undefined) return record;
  const { planPath: _hidden, ...data } = record.data;
  return { ...record, data };
}

function realOrSame(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
