import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { approverKeysDir, loadPublicKeys } from '../../approvals/keys.js';
import { signatureCheck, verifyJournal } from '../../report/verify-journal.js';
import type { ExecutionPlan } from '../../model/execution.js';
import type { RecordData } from '../../store/journal.js';
import { EXIT, paint, useColor, type CliIo } from '../io.js';
import { loadRunPlan } from '../../app/load-run-plan.js';
import { formatOption, type OutputFormat } from '../options.js';
import { openStateStore, STATE_OPTION } from '../state-dir.js';

/**
 * `drplan verify <run-id>`: checks the journal's hash chain record by record, every decision in it
 * as the engine judged it live, and that the journal reaches the head recorded for it (a cut
 * tail); lists every problem. Exit 0 intact (a torn last line is a warning; a run without a
 * terminal record is reported unfinished), 1 broken or untrusted.
 */
export function registerVerify(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('verify')
    .description("check a run's journal: hash chain, decisions, and its recorded head (exit 0 intact, 1 broken)")
    .argument('<run-id>', 'the run')
    .option(...STATE_OPTION)
    .addOption(formatOption(['text', 'json']))
    .action((runId: string, options: { state?: string; format: OutputFormat }) => {
      const store = openStateStore(io, options.state);
      const file = store.journalFile(runId);
      // The heads before the journal: an engine appending meanwhile moves them only after its records are durable.
      const heads = store.heads(runId);
      const text = readFileSync(file, 'utf8');
      const trust = approverKeys(io, text);
      const signatures = signatureCheck(trust.keys, trust.exec);
      const v = verifyJournal(text, { checks: [signatures.check], heads });
      const signed = signatures.summary();
      const shown = relative(io.cwd, file).startsWith('..') ? file : relative(io.cwd, file);
      const untrusted = v.findings.filter((f) => f.severity === 'error' && (f.kind === 'signature' || f.kind === 'gate'));
      const chainBroken = v.findings.some((f) => f.severity === 'error' && f.kind !== 'signature' && f.kind !== 'gate');
      if (options.format === 'json') {
        io.stdout(
          JSON.stringify(
            {
              runId,
              file,
              intact: v.intact,
              finished: v.finished,
              records: v.lines,
              trusted: v.trusted,
              firstBreak: v.firstBreak,
              lastHash: v.lastHash,
              heads: heads.map((h) => ({ seq: h.seq, hash: h.hash, source: h.source })),
              findings: v.findings,
              signatures: { ...signed, keys: trust.dir, planChecked: trust.exec !== null, ...(trust.planProblem ? { planProblem: trust.planProblem } : {}) },
            },
            null,
            2,
          ) + '\n',
        );
        return setExit(v.intact ? EXIT.ok : EXIT.failed);
      }
      const p = paint(useColor(io));
      for (const f of v.findings) {
        io.stdout(`${shown}:${f.line}: ${f.severity === 'error' ? p.red('error') : p.yellow('warning')} ${f.kind}: record ${f.message}\n`);
      }
      const records = `${v.lines} record${v.lines === 1 ? '' : 's'}`;
      const last = v.lastHash ? ` (last hash ${v.lastHash.slice(0, 16)}…)` : '';
      if (v.intact && v.finished) {
        io.stdout(`${p.green('intact')}: ${records}, hash chain unbroken, ending with the run's terminal record${last}\n`);
      } else if (v.intact) {
        io.stdout(
          `${p.yellow('unfinished')}: ${records}, hash chain unbroken so far, no terminal record${last}: the run is still running or waiting, or stopped without ending (a crash; \`drplan resume ${runId}\` carries it on)` +
            `${heads.length === 0 ? ' — or its end was cut off, which no recorded head can tell for this run' : ''}\n`,
        );
      } else if (!chainBroken) {
        const where = untrusted.map((f) => f.line);
        io.stdout(
          `${p.red('untrusted')}: the hash chain is unbroken, but ${untrusted.length} record${untrusted.length === 1 ? ' does' : 's do'} not count (line${where.length === 1 ? '' : 's'} ${where.join(', ')}): ` +
            `no decision judged live could have produced ${untrusted.length === 1 ? 'it' : 'them'}.\n` +
            `\`drplan resume\` and decisions refuse this run, and status and report leave ${untrusted.length === 1 ? 'it' : 'them'} out; keep the file as it is for investigation.\n`,
        );
      } else {
        const line = v.firstBreak?.line ?? 0;
        const lost = v.lines - v.trusted;
        io.stdout(
          `${p.red('broken')} at ${shown}:${line}: ${v.trusted > 0 ? `records 1–${v.trusted} are intact; ` : ''}` +
            (lost > 0 ? `the ${lost} record${lost === 1 ? '' : 's'} from line ${line} on cannot be trusted.\n` : `the records from line ${line} on are missing.\n`) +
            `The run cannot be resumed from this journal; keep the file as it is for investigation (status and report refuse it too).\n`,
        );
      }
      io.stdout(p.dim(`decisions: ${signed.verified} signature${signed.verified === 1 ? '' : 's'} verified, ${signed.unchecked} not checkable, ${signed.unsigned} unsigned (dry-run or simulated)${trust.dir ? ` · keys from ${trust.dir}` : ''}\n`));
      if (!trust.exec && trust.planProblem) io.stdout(p.dim(`gate rules (who may decide, quorum, deadlines) not checked: ${trust.planProblem}\n`));
      if (heads.length > 0) io.stdout(p.dim(`head: record ${Math.max(...heads.map((h) => h.seq))} recorded in ${[...new Set(heads.map((h) => relative(io.cwd, h.source).startsWith('..') ? h.source : relative(io.cwd, h.source)))].join(' and ')}\n`));
      setExit(v.intact ? EXIT.ok : EXIT.failed);
    });
}

/**
 * The plan of the run and its approver keys: `spec.approverKeys` (else `approvers/`) next to the
 * plan file named in the journal's first record. Read from the raw first line, so a journal
 * damaged further on still gets its decisions checked. A plan that cannot be read again leaves
 * `exec` null (the gate rules are then not checked) but the default keys folder is still used.
 */
function approverKeys(io: CliIo, text: string): { keys: Map<string, KeyObject> | null; dir: string | null; exec: ExecutionPlan | null; planProblem: string | null } {
  let started: RecordData['run.started'];
  try {
    const first = JSON.parse(text.slice(0, text.indexOf('\n') === -1 ? undefined : text.indexOf('\n'))) as { type?: string; data?: RecordData['run.started'] };
    if (first.type !== 'run.started' || !first.data) return { keys: null, dir: null, exec: null, planProblem: 'the journal has no start record' };
    started = first.data;
  } catch {
    return { keys: null, dir: null, exec: null, planProblem: 'the journal has no start record' };
  }
  const path = started.planPath ?? resolve(io.cwd, started.planFile);
  let exec: ExecutionPlan | null = null;
  let planProblem: string | null = null;
  try {
    const loaded = loadRunPlan(io.cwd, started);
    if (loaded.outcome === 'loaded') exec = loaded.exec;
    else planProblem = loaded.message;
  } catch (error) {
    // The plan is gone or invalid: the default folder is still worth a look.
    planProblem = error instanceof Error ? error.message : String(error);
  }
  const dir = approverKeysDir(dirname(path), exec?.plan.approverKeys);
  return { keys: loadPublicKeys(dir).keys, dir, exec, planProblem };
}
