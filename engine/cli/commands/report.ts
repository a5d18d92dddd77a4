import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import type { GitFacts, PlanSourceFacts, ReportContext } from '../../report/run-report-evidence.js';
import { renderRunReportHtml } from '../../report/run-report-html.js';
import { renderRunReportJson } from '../../report/run-report-json.js';
import { renderRunReportMarkdown } from '../../report/run-report-markdown.js';
import { summarizeRun } from '../../report/run-summary.js';
import type { RecordData } from '../../store/journal.js';
import { EXIT, UsageError, type CliIo } from '../io.js';
import { formatOption, type OutputFormat } from '../options.js';
import { openStateStore, STATE_OPTION } from '../state-dir.js';
import { DRPLAN_VERSION } from '../version.js';
import { inspectRun } from './status.js';

/**
 * `drplan report <run-id>`: the evidence of a run for an auditor (Markdown with a Mermaid
 * timeline, one self-contained HTML page, or JSON). This command gathers the facts — journal,
 * plan file, git — and the pure renderers in engine/report/ write them out.
 */
export function registerReport(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('report')
    .description('evidence of a run: plan version, timeline, durations, gate decisions, interventions, RTO/RPO achieved vs objectives')
    .argument('<run-id>', 'the run')
    .addOption(formatOption(['md', 'html', 'json']))
    .option('--output <file>', 'write the report to a file instead of stdout')
    .option(...STATE_OPTION)
    .action((runId: string, options: { format: OutputFormat; output?: string; state?: string }) => {
      const store = openStateStore(io, options.state);
      const run = inspectRun(io, store, runId);
      const now = Date.now();
      const facts = summarizeRun(run.records, run.exec, { now, untrusted: run.untrusted });
      const ctx: ReportContext = {
        generatedAt: now,
        drplanVersion: DRPLAN_VERSION,
        source: run.history.started ? planSourceFacts(io, run.history.started, run.planUnavailable) : null,
      };
      const text = options.format === 'html' ? renderRunReportHtml(facts, ctx) : options.format === 'json' ? renderRunReportJson(facts, ctx) : renderRunReportMarkdown(facts, ctx);
      if (options.output) {
        const out = resolve(io.cwd, options.output);
        try {
          writeFileSync(out, text);
        } catch (error) {
          throw new UsageError(`cannot write the report to ${out}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, 'pick a file in a directory that exists and that you can write to');
        }
        io.stderr(`report of run ${runId} written to ${out}\n`);
      } else io.stdout(text);
      setExit(EXIT.ok);
    });
}

/** Where the plan came from and whether it is still the file the run used. */
function planSourceFacts(io: CliIo, started: RecordData['run.started'], unavailable: string | null): PlanSourceFacts {
  const path = started.planPath ?? resolve(io.cwd, started.planFile);
  const exists = existsSync(path);
  let digestNow: string | null = null;
  if (exists) {
    try {
      digestNow = sha256(readFileSync(path));
    } catch {
      digestNow = null;
    }
  }
  return {
    file: started.planFile,
    path,
    exists,
    digestNow,
    matchesRun: digestNow === null ? null : digestNow === started.planDigest,
    unavailable,
    git: gitFacts(path, started.planDigest),
  };
}

/**
 * The plan file in git: the commit that last changed it (`git log -1 -- file`), whether the
 * working copy is modified (`git status --porcelain`), and whether the committed bytes are the
 * ones the run started from (their sha256 against the recorded digest).
 */
function gitFacts(path: string, runDigest: string): GitFacts {
  const dir = dirname(path);
  const file = basename(path);
  if (!existsSync(dir)) return { kind: 'unknown', reason: `${dir} no longer exists` };
  const git = (args: string[]) => execFileSync('git', ['-C', dir, ...args], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000, maxBuffer: 64 * 1024 * 1024 });
  try {
    git(['rev-parse', '--is-inside-work-tree']);
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { status?: number };
    if (e.code === 'ENOENT') return { kind: 'unknown', reason: 'git is not installed' };
    if (typeof e.status === 'number') return { kind: 'no-repository' };
    return { kind: 'unknown', reason: e.message.split('\n')[0] ?? 'git failed' };
  }
  try {
    const commit = git(['log', '-1', '--format=%H', '--', file]).toString().trim();
    if (!commit) return { kind: 'uncommitted' };
    const modified = git(['status', '--porcelain', '--', file]).toString().trim() !== '';
    let committedMatchesRun: boolean | null = null;
    try {
      committedMatchesRun = sha256(git(['show', `${commit}:./${file}`])) === runDigest;
    } catch {
      committedMatchesRun = null; // deleted in that commit, or a path git cannot show
    }
    return { kind: 'committed', commit, modified, committedMatchesRun };
  } catch (error) {
    return { kind: 'unknown', reason: ((error as Error).message.split('\n')[0] ?? 'git failed').slice(0, 200) };
  }
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
