import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleepArgument, writePrograms } from '../../../bench/peers/generate.js';
import type { Runbook } from '../../../bench/peers/runbook.js';

// The generated programs, run for real with `sleep` replaced by a shim that logs when each step
// starts and ends (then really sleeps): every program runs every step once, never more steps of
// a group at once than its concurrency, fills that concurrency, and starts no group before the
// groups it depends on are done. drplan and bash run independent groups at the same time;
// Ansible cannot (its plays run one after the other), which the test states rather than hides.
//
// Nothing here depends on timing: a step of a group's first wave waits (a few seconds at most)
// until the whole wave has started, and the first steps of b and c wait a moment for the other
// group to start, so a program that does fill its slots, or does run b and c together, is always
// seen doing it, however loaded the machine; one that does not is seen not doing it.

const root = fileURLToPath(new URL('../../../', import.meta.url));
const bin = join(root, 'bin', 'drplan.js');

/** A diamond: a, then b and c (independent), then d. Durations are distinct, so a sleep argument names its step. */
const DIAMOND: Runbook = {
  name: 'diamond',
  description: 'a diamond of four groups',
  seed: 0,
  groups: [
    { id: 'a', concurrency: 2, dependsOn: [], steps: steps('a', [101, 102, 103, 104]) },
    { id: 'b', concurrency: 2, dependsOn: ['a'], steps: steps('b', [201, 302, 203, 304, 205]) },
    { id: 'c', concurrency: 3, dependsOn: ['a'], steps: steps('c', [311, 212, 313, 214, 315]) },
    { id: 'd', concurrency: 2, dependsOn: ['b', 'c'], steps: steps('d', [121, 122, 123]) },
  ],
};

/**
 * The stand-in for `sleep`. Anything that is not a step (Ansible's own `sleep 0`) just sleeps.
 * Appends of one line are atomic (O_APPEND), so concurrent steps' lines never mix.
 */
function shim(map: string, log: string, started: string): string {
  return `#!/bin/sh
arg="$1"
line=$(grep "^$arg " '${map}')
if [ -z "$line" ]; then exec /bin/sleep "$arg"; fi
set -- $line
echo "start $arg" >> '${log}'
: > '${started}'/"$2:$arg"
i=0
while [ $i -lt 100 ]; do
  ok=1
  [ "$(ls '${started}' | grep -c "^$2:")" -lt "$3" ] && ok=0
  [ "$4" != "-" ] && [ $i -lt 30 ] && [ "$(ls '${started}' | grep -c "^$4:")" -eq 0 ] && ok=0
  [ $ok -eq 1 ] && break
  /bin/sleep 0.05
  i=$((i + 1))
done
/bin/sleep "$arg"
echo "end $arg" >> '${log}'
`;
}

function steps(group: string, ms: number[]) {
  return ms.map((m, i) => ({ id: `${group}-s${i + 1}`, ms: m }));
}

/**
 * Runs a program to its end without blocking this worker (a long spawnSync starves vitest's own
 * messages); resolves with its exit code and output.
 */
function run(file: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, output });
    });
  });
}

const groupOf = new Map(DIAMOND.groups.flatMap((g) => g.steps.map((s) => [sleepArgument(s.ms), g.id] as const)));

type Event = { kind: 'start' | 'end'; group: string; arg: string };

function readEvents(log: string): Event[] {
  return readFileSync(log, 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      const [kind, arg] = line.split(' ') as ['start' | 'end', string];
      return { kind, arg, group: groupOf.get(arg) ?? `unknown ${arg}` };
    });
}

/** The checks every program must pass, on the order of events in the shim's log. */
function checkRun(events: Event[]) {
  const all = DIAMOND.groups.flatMap((g) => g.steps.map((s) => sleepArgument(s.ms))).sort();
  expect(events.filter((e) => e.kind === 'start').map((e) => e.arg).sort()).toEqual(all);
  expect(events.filter((e) => e.kind === 'end').map((e) => e.arg).sort()).toEqual(all);
  const peak = new Map<string, number>();
  const running = new Map<string, number>();
  for (const e of events) {
    const n = (running.get(e.group) ?? 0) + (e.kind === 'start' ? 1 : -1);
    running.set(e.group, n);
    peak.set(e.group, Math.max(peak.get(e.group) ?? 0, n));
  }
  for (const g of DIAMOND.groups) expect(peak.get(g.id), `steps of ${g.id} at once`).toBe(Math.min(g.concurrency, g.steps.length));
  const first = (g: string) => events.findIndex((e) => e.group === g && e.kind === 'start');
  const last = (g: string) => events.findLastIndex((e) => e.group === g && e.kind === 'end');
  for (const g of DIAMOND.groups) for (const d of g.dependsOn) expect(last(d), `${d} ends before ${g} starts`).toBeLessThan(first(g.id));
  // Whether b and c, which do not depend on each other, ran at the same time.
  return { independentGroupsOverlap: first('c') < last('b') && first('b') < last('c') };
}

describe('bench/peers: the generated programs run the same runbook', () => {
  let dir = '';
  let files: ReturnType<typeof writePrograms>;
  let env: NodeJS.ProcessEnv;
  let log = '';
  let started = '';

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'drplan-peers-test-'));
    files = writePrograms(DIAMOND, join(dir, 'programs'));
    const shims = join(dir, 'bin');
    mkdirSync(shims);
    log = join(dir, 'events.log');
    started = join(dir, 'started');
    const map = join(dir, 'steps.map');
    // One line per step: its sleep argument, its group, the size of the group's first wave, and
    // the group it should overlap with ('-' for none).
    const sibling: Record<string, string> = { b: 'c', c: 'b' };
    writeFileSync(map, DIAMOND.groups.flatMap((g) => g.steps.map((s) => `${sleepArgument(s.ms)} ${g.id} ${Math.min(g.concurrency, g.steps.length)} ${sibling[g.id] ?? '-'}`)).join('\n') + '\n');
    writeFileSync(join(shims, 'sleep'), shim(map, log, started));
    chmodSync(join(shims, 'sleep'), 0o755);
    env = { ...process.env, PATH: `${shims}:${process.env.PATH ?? '/usr/bin:/bin'}` };
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const fresh = () => {
    rmSync(log, { force: true });
    rmSync(started, { recursive: true, force: true });
    mkdirSync(started);
  };

  it('bash: every step once, within concurrency, dependencies first, independent groups together', async () => {
    fresh();
    const r = await run('bash', [files.script], { cwd: dir, env, timeoutMs: 50_000 });
    expect(r.status, r.output).toBe(0);
    expect(checkRun(readEvents(log)).independentGroupsOverlap).toBe(true);
  });

  it('drplan: every step once, within concurrency, dependencies first, independent groups together', async () => {
    if (!existsSync(join(root, 'dist', 'bundle', 'main.js'))) throw new Error('dist/ is missing: run the suite with `npm test`, which builds first');
    fresh();
    const r = await run(process.execPath, [bin, 'run', files.plan, '--mode', 'unplanned', '--state', join(dir, 'state')], { cwd: dir, env, timeoutMs: 50_000 });
    expect(r.status, r.output).toBe(0);
    expect(checkRun(readEvents(log)).independentGroupsOverlap).toBe(true);
  });

  // scripts/install-test-deps.sh installs it; a developer's machine without root may lack it, CI may not.
  const ansible = spawnSync('ansible-playbook', ['--version']).status === 0 || process.env.CI === 'true';
  it.skipIf(!ansible)('Ansible (scripts/install-ansible.sh): every step once, within throttle, plays in dependency order, one at a time', async () => {
    fresh();
    const r = await run('ansible-playbook', ['-i', files.inventory, files.playbook], {
      cwd: dir,
      env: { ...env, ANSIBLE_CONFIG: files.ansibleConfig, ANSIBLE_HOME: join(dir, '.ansible'), ANSIBLE_LOCAL_TEMP: join(dir, '.ansible', 'tmp'), ANSIBLE_NOCOLOR: '1' },
      timeoutMs: 170_000,
    });
    expect(r.status, r.output).toBe(0);
    expect(checkRun(readEvents(log)).independentGroupsOverlap).toBe(false);
  }, 180_000);
});
