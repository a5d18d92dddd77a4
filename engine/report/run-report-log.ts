import type { Paint } from './paint.js';
import { formatDuration } from '../model/duration.js';

/**
 * `drplan logs --pretty`: one readable line per line of a run's `log.jsonl` (pino JSON: one
 * line per journal record — runId, seq, type and the record's data — plus whatever adapters
 * log). Pure: a line in, a line out.
 */

export interface LogLineContext {
  /** The run's start on its own clock (simulated in dry-runs), for the `+elapsed` column. */
  runStart: number | null;
  /** A record's time on the run's clock by sequence number, when the journal could be read. */
  timeOfSeq?: (seq: number) => number | undefined;
}

const LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

/** Record types that end a run: `logs --follow` stops after one of them. */
export const END_TYPES = new Set(['run.succeeded', 'run.failed', 'run.cancelled']);

type Fields = Record<string, unknown>;

/**
 * @example
 * formatLogLine('{"level":30,"time":"2026-11-23T17:56:53.620Z","seq":2,"type":"step.started","stepId":"replication-healthy","attempt":1,"msg":"step.started"}', { runStart: null }, p);
 * // '17:56:53.620         #2    step.started     replication-healthy  attempt 1'
 */
export function formatLogLine(line: string, ctx: LogLineContext, p: Paint): string | null {
  if (line.trim() === '') return null;
  let f: Fields;
  try {
    f = JSON.parse(line) as Fields;
    if (f === null || typeof f !== 'object' || Array.isArray(f)) throw new Error('not an object');
  } catch {
    return `${p.yellow('?')} ${line}`;
  }
  const wall = typeof f.time === 'string' ? f.time.slice(11, 23) : typeof f.time === 'number' ? new Date(f.time).toISOString().slice(11, 23) : '--:--:--.---';
  const seq = typeof f.seq === 'number' ? f.seq : null;
  const runTime = seq !== null ? ctx.timeOfSeq?.(seq) : undefined;
  const offset = runTime !== undefined && ctx.runStart !== null ? `+${formatDuration(runTime - ctx.runStart)}` : '';
  const head = `${p.dim(wall)} ${p.dim(offset.padEnd(8))}`;
  const type = typeof f.type === 'string' ? f.type : null;
  if (seq === null || type === null) {
    // An adapter's own log line.
    const level = typeof f.level === 'number' ? (LEVELS[f.level] ?? String(f.level)) : 'log';
    const rest = omit(f, ['level', 'time', 'msg', 'pid', 'hostname']);
    const colour = level === 'error' || level === 'fatal' ? p.red : level === 'warn' ? p.yellow : p.dim;
    return `${head} ${colour(level.padEnd(5))} ${String(f.msg ?? '')}${Object.keys(rest).length ? p.dim(` ${compact(rest, 160)}`) : ''}`;
  }
  const step = typeof f.stepId === 'string' ? f.stepId : '';
  return `${head} ${p.dim(`#${seq}`.padEnd(5))} ${colourType(type, p)} ${step ? `${step}  ` : ''}${describe(type, f, ctx, p)}`.trimEnd();
}

function describe(type: string, f: Fields, ctx: LogLineContext, p: Paint): string {
  const by = typeof f.by === 'string' ? `by ${f.by}` : '';
  const reason = typeof f.reason === 'string' ? `: ${f.reason}` : '';
  const simulated = f.simulated === true ? p.dim(' (simulated)') : '';
  const at = (t: unknown) => (typeof t !== 'number' ? '' : ctx.runStart !== null ? `+${formatDuration(t - ctx.runStart)}` : new Date(t).toISOString());
  switch (type) {
    case 'run.started': {
      const params = f.params && typeof f.params === 'object' ? Object.entries(f.params as Fields).map(([k, v]) => `${k}=${String(v)}`) : [];
      return `plan ${String(f.plan)} (${String(f.planFile)}) · mode ${String(f.mode)}${f.dryRun ? ' · dry-run' : ''}${f.autoApprove ? ' · auto-approve' : ''} · by ${String(f.initiator)}${params.length ? ` · ${params.join(' ')}` : ''}`;
    }
    case 'step.started':
      return `attempt ${String(f.attempt)}${typeof f.deadline === 'number' ? p.dim(` deadline ${at(f.deadline)}`) : ''}`;
    case 'step.succeeded':
      return `attempt ${String(f.attempt)}${f.output && typeof f.output === 'object' && Object.keys(f.output).length ? p.dim(` → ${compact(f.output, 120)}`) : ''}`;
    case 'step.failed':
      return `attempt ${String(f.attempt)}: ${p.red(String(f.error))}${f.final ? '' : p.dim(' (will retry)')}`;
    case 'step.retrying':
      return `attempt ${String(f.attempt)} at ${at(f.at)}`;
    case 'step.skipped':
      return `${String(f.reason ?? '')}${by ? ` (${by})` : ''}`;
    case 'step.waiting': {
      const principals = Array.isArray(f.principals) ? f.principals.join(', ') : '';
      const who = f.kind === 'pause' ? String(f.reason ?? 'for an operator') : `${String(f.quorum ?? 1)} of ${principals || 'any assignee'}`;
      const instructions = typeof f.instructions === 'string' ? p.dim(` · ${f.instructions.split('\n')[0]}`) : '';
      return `${String(f.kind)} ${who}${typeof f.deadline === 'number' ? ` until ${at(f.deadline)}` : ''}${instructions}`;
    }
    case 'gate.approved':
    case 'manual.done':
      return `${by}${simulated}${typeof f.comment === 'string' ? `: ${f.comment}` : ''}`;
    case 'gate.rejected':
      return `${by}${typeof f.comment === 'string' ? `: ${f.comment}` : ''}`;
    case 'gate.timedOut':
      return `→ ${String(f.outcome)}`;
    case 'operator.retry':
    case 'operator.skip':
    case 'operator.abort':
    case 'run.cancelRequested':
      return `${by}${reason}`;
    case 'run.resumed': {
      const changed = f.planChanged && typeof f.planChanged === 'object' ? p.yellow(' with a changed plan (--force-plan)') : '';
      return `${by} · pid ${String(f.pid)} · drplan ${String(f.engineVersion)}${changed}`;
    }
    case 'request.refused': {
      const req = f.request && typeof f.request === 'object' ? (f.request as Fields) : {};
      const repeats = f.repeats && typeof f.repeats === 'object' ? ` ×${String((f.repeats as Fields).count)}` : '';
      return `${String(req.type ?? 'request')}${typeof req.stepId === 'string' ? ` ${req.stepId}` : ''}${typeof req.by === 'string' ? ` by ${req.by}` : ''}${repeats}: ${String(f.reason)}`;
    }
    case 'run.succeeded':
      return '';
    case 'run.failed':
      return typeof f.error === 'string' ? p.red(f.error) : '';
    case 'run.cancelled':
      return `${by}${reason}`;
    default:
      return compact(omit(f, ['level', 'time', 'runId', 'seq', 'type', 'msg', 'stepId']), 160);
  }
}

function colourType(type: string, p: Paint): string {
  const padded = type.padEnd(16);
  if (type === 'run.succeeded' || type === 'step.succeeded' || type === 'gate.approved' || type === 'manual.done') return p.green(padded);
  if (type === 'run.failed' || type === 'step.failed' || type === 'gate.rejected' || type === 'run.cancelled' || type === 'request.refused') return p.red(padded);
  if (type === 'step.waiting' || type === 'step.retrying' || type === 'gate.timedOut' || type.startsWith('operator.') || type === 'run.cancelRequested' || type === 'run.resumed') return p.yellow(padded);
  return padded;
}

function omit(f: Fields, keys: string[]): Fields {
  const out: Fields = {};
  for (const [k, v] of Object.entries(f)) if (!keys.includes(k)) out[k] = v;
  return out;
}

function compact(value: unknown, max: number): string {
  const text = JSON.stringify(value) ?? '';
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
