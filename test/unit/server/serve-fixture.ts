import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signDecision, type DecisionStatement, type SignedDecision } from '../../../engine/approvals/decision-statement.js';
import { generateApproverKeys, privateKeyPath } from '../../../engine/approvals/keys.js';
import { cli } from '../../../engine/cli/cli.js';
import type { CliIo } from '../../../engine/cli/io.js';
import { buildServer, type ServerOptions } from '../../../engine/server/server.js';
import { FileStore } from '../../../engine/store/file-store.js';
import type { JournalRecord } from '../../../engine/store/journal.js';

/** A real plan with one gate between the source-side work and the failover, in a temp folder with keys. */
export function gatedPlan(options: { quorum?: number; timeout?: string; manual?: boolean } = {}): string {
  return `
apiVersion: drplan/v1
kind: RecoveryPlan
metadata: { name: gated }
spec:
  objectives: { rto: 30m }
  adapters:
    site: { type: simulator, estimates: { shutdown: 5ms, sync: 5ms, failover: 5ms, start: 5ms } }
  sites: { source: site, target: site }
  approvers: { dba: [alice, bob, carol] }
  modes: { planned: {} }
  groups:
    - id: db
      vms: [db-1]
      pre:
        - id: signoff
          gate: { approvers: [dba], quorum: ${options.quorum ?? 1}, timeout: ${options.timeout ?? '30m'}, instructions: "Check that replication lag of {{group.id}} is <b>zero</b>" }
${options.manual ? `      post:\n        - id: smoke-test\n          manual: { instructions: "Open the app in {{group.id}} and log in", assignees: [bob] }\n` : ''}`;
}

export const PRINCIPALS = ['alice', 'bob', 'carol'] as const;

export interface ServeFixture {
  dir: string;
  stateDir: string;
  env: Record<string, string>;
  store: FileStore;
  /** The CLI's io as a principal, with what it printed. */
  io(principal?: string): CliIo & { out: string[] };
  /** Starts a run (`drplan run --detach` in-process) as `initiator`; resolves with its id. */
  startRun(initiator?: string): Promise<string>;
  sign(principal: string, statement: Omit<DecisionStatement, 'v' | 'principal' | 'time'> & { time?: string }): SignedDecision;
  planDigest(runId: string): string;
  records(runId: string): JournalRecord[];
  server(options?: Partial<ServerOptions>): ReturnType<typeof buildServer>;
}

export function makeServeFixture(plan = gatedPlan()): ServeFixture {
  const dir = mkdtempSync(join(tmpdir(), 'drplan-serve-'));
  writeFileSync(join(dir, 'plan.yaml'), plan);
  const env = { DRPLAN_CONFIG_DIR: join(dir, 'config'), NO_COLOR: '1', HOME: dir };
  for (const p of PRINCIPALS) generateApproverKeys(p, join(dir, 'approvers'), env);
  const stateDir = join(dir, '.drplan');
  const store = new FileStore(stateDir);
  const io = (principal = 'carol') => {
    const out: string[] = [];
    return { out, stdout: (s: string) => void out.push(s), stderr: (s: string) => void out.push(s), env: { ...env, DRPLAN_PRINCIPAL: principal }, cwd: dir, isTTY: false };
  };
  return {
    dir,
    stateDir,
    env,
    store,
    io,
    async startRun(initiator = 'carol') {
      const runIo = io(initiator);
      const code = await cli(['run', 'plan.yaml', '--mode', 'planned', '--detach'], runIo);
      if (code !== 3) throw new Error(`drplan run exited ${code}: ${runIo.out.join('')}`);
      return /^run (\S+)/.exec(runIo.out.join(''))![1]!;
    },
    sign(principal, s) {
      const statement: DecisionStatement = { v: 1, runId: s.runId, stepId: s.stepId, decision: s.decision, principal, planDigest: s.planDigest, time: s.time ?? new Date().toISOString(), ...(s.comment === undefined ? {} : { comment: s.comment }) };
      return signDecision(statement, readFileSync(privateKeyPath(principal, env), 'utf8'));
    },
    planDigest(runId) {
      const first = store.read(runId).records[0];
      if (first?.type !== 'run.started') throw new Error('no start record');
      return first.data.planDigest;
    },
    records: (runId) => store.read(runId).records,
    server: (options = {}) => buildServer({ store, io: io('server'), loopback: true, heartbeatMs: 50, pollMs: 20, ...options }),
  };
}
