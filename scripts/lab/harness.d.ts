// Types of harness.js (the lab from JavaScript), for the TypeScript tests that import it.

export interface Lab {
  dir: string;
  port: number;
  siteA: { host: string; dataDir: string };
  siteB: { host: string; dataDir: string };
  test: { host: string; dataDir: string };
  proxy: { host: string };
  socket: string;
  ackLog: string;
}

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface WriteCheck {
  acked: number;
  present: number;
  lost: number;
  lostIds: string[];
  lastSurvivingAckMs: number | null;
  lastLostAckMs: number | null;
  lossWindowSeconds: number;
  servers: Record<string, number>;
}

export interface JournalRecord {
  seq: number;
  time: number;
  type: string;
  data: Record<string, any>;
}

export const REPO: string;
export function labSettings(options: { dir: string; port: number }): Lab;
export function allocateLab(name: string): Promise<Lab>;
export function exec(file: string, args: string[], options?: Record<string, unknown>): Promise<ExecResult>;
export function labInstalled(): Promise<boolean>;
export function labUp(lab: Lab, options?: { load?: boolean }): Promise<ExecResult>;
export function labDown(lab: Lab): Promise<ExecResult>;
export function labCtl(lab: Lab, ...args: string[]): Promise<ExecResult>;
export function killPrimary(lab: Lab): Promise<number>;
export function stopLoadAndVerify(lab: Lab, host?: string): Promise<WriteCheck>;
export function writePlanCopy(lab: Lab, dir: string, options?: { gate?: boolean; syncTimeout?: string }): string;
export function drplan(cwd: string, args: string[], options?: { principal?: string; env?: Record<string, string> }): Promise<ExecResult>;
export function spawnDrplan(cwd: string, args: string[], options?: { principal?: string }): import('node:child_process').ChildProcessWithoutNullStreams;
export function generateKeys(cwd: string, principals?: string[]): Promise<void>;
export function runIdOf(stdout: string): string;
export function runThroughGate(
  cwd: string,
  plan: string,
  mode: 'planned' | 'unplanned' | 'test',
  options?: { initiator?: string; approver?: string },
): Promise<{ runId: string; code: number; stdout: string; stderr: string }>;
export function readJournal(cwd: string, runId: string): JournalRecord[];
export function runStatus(cwd: string, runId: string): Promise<any>;
export function query(host: string, port: number, text: string, values?: unknown[]): Promise<Record<string, any>[] | undefined>;
export function listening(host: string, port: number): Promise<boolean>;
export function ackedOn(lab: Lab, server: string): number;
export function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs?: number): Promise<void>;
