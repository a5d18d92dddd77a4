import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { approverKeysDir, loadPublicKeys } from '../../approvals/keys.js';
import { signatureCheck, verifyJournal } from '../../report/verify-journal.js';
import type { RecordData } from '../../store/journal.js';
import { EXIT, paint, useColor, type CliIo } from '../io.js';
import { loadRunPlan } from '../load-run.js';
import { formatOption, type OutputFormat } from '../options.js';
import { openStateStore, STATE_OPTION } from '../state-dir.js';

/**
 * `drplan verify <run-id>`: checks the journal's hash chain record by record and lists every
 * problem. Exit 0 intact (a torn last line is a warning), 1 broken.
 */
export function registerVerify(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('verify')
    .description("check a run's journal hash chain, record by record (exit 0 intact, 1 broken)")
    .argument('<run-id>', 'the run')
    .option(...STATE_OPTION)
    .addOption(formatOption(['text', 'json']))
    .action((runId: string, options: { state?: string; format: OutputFormat }) => {
      const store = openStateStore(io, options.state);
      const file = store.journalFile(runId);
      const text = readFileSync(file, 'utf8');
      const trust = approverKeys(io, text);
      const signatures = signatureCheck(trust.keys);
      const v = verifyJournal(text, { checks: [signatures.check] });
      const signed = signatures.summary();
      const shown = relative(io.cwd, file).startsWith('..') ? file : relative(io.cwd, file);
      if (options.format === 'json') {
        io.stdout(JSON.stringify({ runId, file, intact: v.intact, records: v.lines, trusted: v.trusted, firstBreak: v.firstBreak, lastHash: v.lastHash, findings: v.findings, signatures: { ...signed, keys: trust.dir } }, null, 2) + '\n');
        return setExit(v.intact ? EXIT.ok : EXIT.failed);
      }
      const p = paint(useColor(io));
      for (const f of v.findings) {
        io.stdout(`${shown}:${f.line}: ${f.severity === 'error' ? p.red('error') : p.yellow('warning')} ${f.kind}: record ${f.message}\n`);
      }
      if (v.intact) {
        io.stdout(`${p.green('intact')}: ${v.lines} record${v.lines === 1 ? '' : 's'}, hash chain unbroken${v.lastHash ? ` (last hash ${v.lastHash.slice(0, 16)}…)` : ''}\n`);
      } else {
        const line = v.firstBreak?.line ?? 0;
        io.stdout(
          `${p.red('broken')} at ${shown}:${line}: ${v.trusted > 0 ? `records 1–${v.trusted} are intact; ` : ''}` +
            `the ${v.lines - v.trusted} record${v.lines - v.trusted === 1 ? '' : 's'} from line ${line} on cannot be trusted.\n` +
            `The run cannot be resumed from this journal; keep the file as it is for investigation (status and report refuse it too).\n`,
        );
      }
      io.stdout(p.dim(`decisions: ${signed.verified} signature${signed.verified === 1 ? '' : 's'} verified, ${signed.unchecked} not checkable, ${signed.unsigned} unsigned (dry-run or simulated)${trust.dir ? ` · keys from ${trust.dir}` : ''}\n`));
      setExit(v.intact ? EXIT.ok : EXIT.failed);
    });
}

/**
 * The approver keys of the run's plan: `spec.approverKeys` (else `approvers/`) next to the plan
 * file named in the journal's first record. Read from the raw first line, so a journal damaged
 * further on still gets its signatures checked.
 */
function approverKeys(io: CliIo, text: string): { keys: Map<string, KeyObject> | null; dir: string | null } {
  let started: RecordData['run.started'];
  try {
    const first = JSON.parse(text.slice(0, text.indexOf('\n') === -1 ? undefined : text.indexOf('\n'))) as { type?: string; data?: RecordData['run.started'] };
    if (first.type !== 'run.started' || !first.data) return { keys: null, dir: null };
    started = first.data;
  } catch {
    return { keys: null, dir: null };
  }
  const path = started.planPath ?? resolve(io.cwd, started.planFile);
  let configured: string | undefined;
  try {
    configured = loadRunPlan({ ...io, stderr: () => {} }, started).exec.plan.approverKeys;
  } catch {
    configured = undefined; // the plan is gone or invalid: the default folder is still worth a look
  }
  const dir = approverKeysDir(dirname(path), configured);
  return { keys: loadPublicKeys(dir).keys, dir };
}
