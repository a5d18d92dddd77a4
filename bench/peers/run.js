// drplan against what teams use instead: the same runbook as a drplan plan, an Ansible playbook
// and a bash script (bench/peers/generate.js), each step a real `sleep`, measured the same way.
//
//   npm run bench:peers                          # builds, then every case, 3 repetitions
//   node bench/peers/run.js [--reps 3] [--cases small,medium,large] [--programs drplan,bash,ansible]
//                           [--drplan bin/drplan.js] [--scale F] [--no-install] [--keep] [--json FILE] [--explain]
//
// --scale multiplies every step's duration (0.1: sleeps of 5-50 ms instead of 50-500 ms), to see
// how the ratios move when fixed and per-step costs weigh more.
// For each case it prints, per program: wall time (median, and min-max), the ratio to the ideal
// schedule's lower bound (bench/peers/schedule.js), CPU time of the whole process tree, peak
// memory of the whole process tree; then drplan against bash and Ansible. `--explain` adds where
// drplan's time went, read off its journal. Repetitions are interleaved: each round runs every
// program once, in a rotating order, so a change in the machine's load hits all of them.
// Every run must succeed and run every step, or the benchmark stops (exit 1).
// Ansible comes from Debian (scripts/install-ansible.sh, run when ansible-playbook is missing);
// where it cannot be installed its column is left out, with the reason.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CASES } from './cases.js';
import { explainDrplanRun } from './drplan-journal.js';
import { writePrograms } from './generate.js';
import { hasGnuTime, measure } from './measure.js';
import { makeRunbook, stepsOf } from './runbook.js';
import { idealSchedule } from './schedule.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const PROGRAMS = ['drplan', 'bash', 'ansible'];

function parseArgs(args) {
  const o = { reps: 3, scale: 1, cases: CASES.map((c) => c.name), programs: [...PROGRAMS], drplan: join(root, 'bin', 'drplan.js'), install: true, keep: false, json: null, explain: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '--reps') o.reps = Number(value());
    else if (a === '--scale') o.scale = Number(value());
    else if (a === '--cases') o.cases = value().split(',');
    else if (a === '--programs') o.programs = value().split(',');
    else if (a === '--drplan') o.drplan = resolve(value());
    else if (a === '--no-install') o.install = false;
    else if (a === '--keep') o.keep = true;
    else if (a === '--json') o.json = resolve(value());
    else if (a === '--explain') o.explain = true;
    else if (a === '--help' || a === '-h') o.help = true;
    else throw new UsageError(`unknown option ${a}`);
  }
  if (!Number.isInteger(o.reps) || o.reps < 1) throw new UsageError('--reps must be a positive integer');
  if (!(o.scale > 0)) throw new UsageError('--scale must be a positive number');
  for (const c of o.cases) if (!CASES.some((k) => k.name === c)) throw new UsageError(`no case named ${c}; there are: ${CASES.map((k) => k.name).join(', ')}`);
  for (const p of o.programs) if (!PROGRAMS.includes(p)) throw new UsageError(`no program named ${p}; there are: ${PROGRAMS.join(', ')}`);
  return o;
}

class UsageError extends Error {}

const say = (text) => process.stdout.write(text + '\n');
const note = (text) => process.stderr.write(text + '\n');

function firstLine(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return r.status === 0 ? (r.stdout || r.stderr).trim().split('\n')[0] : null;
}

function ansiblePython() {
  const r = spawnSync('ansible-playbook', ['--version'], { encoding: 'utf8' });
  const m = /python version = (\S+)/.exec(r.stdout ?? '');
  return m ? `Python ${m[1]}` : null;
}

/** Makes sure ansible-playbook is there (installing Debian's ansible-core if it can); null when it is, else why not. */
function ensureAnsible(install) {
  const present = () => spawnSync('ansible-playbook', ['--version'], { encoding: 'utf8' }).status === 0;
  if (present()) return null;
  if (!install) return 'ansible-playbook is not installed (and --no-install was given)';
  note('bench:peers: ansible-playbook is missing; running scripts/install-ansible.sh');
  const r = spawnSync('bash', [join(root, 'scripts', 'install-ansible.sh')], { encoding: 'utf8' });
  const said = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').filter(Boolean).at(-1) ?? '';
  return present() ? null : `ansible-core could not be installed here (${said || `install-ansible.sh exited ${r.status}`})`;
}

/** The command line of each program for the programs written into `dir`. */
function commandOf(program, files, dir, o, runNo) {
  if (program === 'drplan') {
    return { argv: [process.execPath, o.drplan, 'run', files.plan, '--mode', 'unplanned', '--state', join(dir, `state-${runNo}`)], env: process.env };
  }
  if (program === 'bash') return { argv: ['bash', files.script], env: process.env };
  return {
    argv: ['ansible-playbook', '-i', files.inventory, files.playbook],
    env: { ...process.env, ANSIBLE_CONFIG: files.ansibleConfig, ANSIBLE_HOME: join(dir, '.ansible'), ANSIBLE_LOCAL_TEMP: join(dir, '.ansible', 'tmp'), ANSIBLE_NOCOLOR: '1' },
  };
}

/** Checks a run did every step; returns an error message or null. */
function verifyRun(program, runbook, measured, logPrefix, stateDir) {
  if (measured.exitCode !== 0) {
    const err = safeRead(`${logPrefix}.err`).trim().split('\n').slice(-5).join('\n');
    const out = safeRead(`${logPrefix}.out`).trim().split('\n').slice(-5).join('\n');
    return `${program} exited ${measured.exitCode}\n${err}\n${out}`;
  }
  const want = stepsOf(runbook).length;
  if (program === 'drplan') {
    const journal = journalOf(stateDir);
    const got = journal ? journal.split('\n').filter((l) => l.includes('"type":"step.succeeded"') && l.includes('-steps/')).length : 0;
    if (got !== want) return `drplan ran ${got} of ${want} steps`;
  }
  if (program === 'ansible') {
    const got = safeRead(`${logPrefix}.out`)
      .split('\n')
      .filter((l) => /: ok=1\s/.test(l) && /failed=0/.test(l)).length;
    if (got !== want) return `ansible ran ${got} of ${want} steps`;
  }
  return null;
}

function journalOf(stateDir) {
  const runs = join(stateDir, 'runs');
  if (!existsSync(runs)) return null;
  const [id] = readdirSync(runs);
  return id ? safeRead(join(runs, id, 'journal.jsonl')) : null;
}

function safeRead(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Index of the median value (the lower middle one for an even count). */
function medianIndex(values) {
  const order = values.map((v, i) => [v, i]).sort((a, b) => a[0] - b[0]);
  return order[Math.floor((order.length - 1) / 2)]?.[1] ?? 0;
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return null;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const sec = (ms) => (ms === null || ms === undefined ? 'n/a' : (ms / 1000).toFixed(2));
const mb = (v) => (v === null || v === undefined ? 'n/a' : v.toFixed(0));
const times = (x) => (x === null || !Number.isFinite(x) ? 'n/a' : `${x.toFixed(2)}×`);

function summarize(runs) {
  const pick = (k) => runs.map((r) => r[k]).filter((v) => v !== null);
  return {
    runs: runs.length,
    wallMs: median(pick('wallMs')),
    wallMinMs: Math.min(...pick('wallMs')),
    wallMaxMs: Math.max(...pick('wallMs')),
    cpuMs: median(pick('cpuMs')),
    peakTreePssMb: median(pick('peakTreePssMb')),
    maxProcessRssMb: median(pick('maxProcessRssMb')),
  };
}

async function main(args) {
  let o;
  try {
    o = parseArgs(args);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    note(`bench:peers: ${e.message}`);
    return 2;
  }
  if (o.help) {
    say('usage: node bench/peers/run.js [--reps N] [--cases small,medium,large] [--programs drplan,bash,ansible] [--drplan BIN] [--scale F] [--no-install] [--keep] [--json FILE] [--explain]');
    return 0;
  }
  if (o.programs.includes('drplan') && !existsSync(o.drplan)) {
    note(`bench:peers: ${o.drplan} is missing`);
    return 2;
  }
  if (o.programs.includes('drplan') && o.drplan === join(root, 'bin', 'drplan.js') && !existsSync(join(root, 'dist', 'bundle', 'main.js'))) {
    note('bench:peers: dist/ is missing; run `npm run bench:peers` (it builds first) or `npm run build`');
    return 2;
  }
  let programs = [...o.programs];
  if (programs.includes('ansible')) {
    const why = ensureAnsible(o.install);
    if (why) {
      note(`bench:peers: skipping Ansible: ${why}`);
      programs = programs.filter((p) => p !== 'ansible');
    }
  }
  const bashCheck = spawnSync('bash', ['-c', '(( BASH_VERSINFO[0] > 5 || (BASH_VERSINFO[0] == 5 && BASH_VERSINFO[1] >= 1) ))']);
  if (programs.includes('bash') && bashCheck.status !== 0) note('bench:peers: bash is older than 5.1: the DAG case\'s script (wait -n -p) will refuse to run');

  const machine = {
    cpu: cpus()[0]?.model?.trim() ?? 'unknown cpu',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    kernel: firstLine('uname', ['-sr']),
  };
  const versions = {
    node: process.version,
    drplan: programs.includes('drplan') ? firstLine(process.execPath, [o.drplan, '--version']) : null,
    ansible: programs.includes('ansible') ? firstLine('ansible-playbook', ['--version']) : null,
    // The Python Ansible runs on, as it reports it (not whatever python3 is first on the PATH).
    python: programs.includes('ansible') ? ansiblePython() : null,
    bash: firstLine('bash', ['--version']),
    xargs: firstLine('xargs', ['--version']),
  };
  say(`drplan vs peers · ${machine.cores} cores (${machine.cpu}) · ${machine.memoryGiB} GiB · ${machine.kernel}`);
  const ansibleVersion = versions.ansible ? `${versions.ansible}${versions.python ? ` on ${versions.python}` : ''}` : 'ansible: skipped';
  say(`versions: node ${versions.node} · drplan ${versions.drplan ?? '-'} · ${ansibleVersion} · ${versions.bash} · ${versions.xargs}`);
  say(`CPU from ${hasGnuTime ? 'GNU time (wait4 rusage, children included)' : "bash's times builtin (children included)"}; memory: peak summed PSS (proportional set size: shared pages split between their processes) of the process tree, sampled every 20 ms`);
  say(`load average at start: ${loadavg().map((l) => l.toFixed(2)).join(' ')} (other work on the machine slows every program; rounds are interleaved)`);

  const work = mkdtempSync(join(tmpdir(), 'drplan-peers-'));
  const results = [];
  let failed = false;
  try {
    const cases = o.cases.map((name) => {
      const spec = CASES.find((c) => c.name === name);
      const runbook = makeRunbook(o.scale === 1 ? spec : { ...spec, minMs: spec.minMs * o.scale, maxMs: spec.maxMs * o.scale });
      const dir = join(work, name);
      const files = writePrograms(runbook, dir);
      return { name, runbook, dir, files, ideal: idealSchedule(runbook) };
    });
    // Each program must accept what was generated before anything is timed.
    for (const c of cases) {
      if (programs.includes('drplan')) execFileSync(process.execPath, [o.drplan, 'validate', c.files.plan], { stdio: 'pipe' });
      if (programs.includes('bash')) execFileSync('bash', ['-n', c.files.script], { stdio: 'pipe' });
      if (programs.includes('ansible')) {
        const { argv, env } = commandOf('ansible', c.files, c.dir, o, 0);
        execFileSync(argv[0], [...argv.slice(1), '--syntax-check'], { stdio: 'pipe', env });
      }
    }
    // One untimed run of each program, on a runbook of two 10 ms steps, warms the page cache
    // (node_modules, Python's modules) so that the first timed run does not pay for it.
    const warmDir = join(work, 'warmup');
    const warmFiles = writePrograms(makeRunbook({ name: 'warmup', steps: 2, groups: 1, concurrency: 2, minMs: 10, maxMs: 10 }), warmDir);
    for (const program of programs) {
      const { argv, env } = commandOf(program, warmFiles, warmDir, o, 'warmup');
      await measure(argv, { cwd: warmDir, env, logPrefix: join(warmDir, program) });
    }

    let runNo = 0;
    for (const c of cases) {
      say('');
      say(`${c.name}: ${c.runbook.description}`);
      say(`  ideal: lower bound ${sec(c.ideal.lowerBound)} s · runbook order, zero overhead ${sec(c.ideal.documentOrder)} s · longest first ${sec(c.ideal.longestFirst)} s · groups in sequence ${sec(c.ideal.sequentialGroups)} s · total work ${sec(c.ideal.work)} s`);
      const runs = Object.fromEntries(programs.map((p) => [p, []]));
      /** drplan's runs read off their journals, in the order they ran. */
      const explained = [];
      for (let rep = 0; rep < o.reps && !failed; rep++) {
        for (let k = 0; k < programs.length; k++) {
          const program = programs[(k + rep) % programs.length];
          runNo++;
          const { argv, env } = commandOf(program, c.files, c.dir, o, runNo);
          const logPrefix = join(c.dir, `run-${runNo}-${program}`);
          const load = loadavg()[0];
          const m = await measure(argv, { cwd: c.dir, env, logPrefix });
          const stateDir = join(c.dir, `state-${runNo}`);
          const problem = verifyRun(program, c.runbook, m, logPrefix, stateDir);
          if (problem) {
            note(`bench:peers: ${c.name} round ${rep + 1}: ${problem}`);
            failed = true;
            break;
          }
          runs[program].push({ ...m, load });
          note(`  ${c.name} round ${rep + 1}/${o.reps} ${program.padEnd(7)} ${sec(m.wallMs)} s wall, ${sec(m.cpuMs)} s CPU, ${mb(m.peakTreePssMb)} MB (load ${load.toFixed(1)})`);
          if (program === 'drplan') {
            const journal = journalOf(stateDir);
            if (journal) explained.push(explainDrplanRun(journal, c.runbook, m));
            rmSync(stateDir, { recursive: true, force: true });
          }
        }
      }
      if (failed) break;
      const summary = Object.fromEntries(programs.map((p) => [p, summarize(runs[p])]));
      printCase(c, programs, summary);
      // The run whose wall time is the median's (the lower middle one for an even count).
      const typical = runs.drplan ? explained[medianIndex(runs.drplan.map((r) => r.wallMs))] : undefined;
      if (o.explain && typical) printExplanation(typical);
      results.push({ case: c.name, description: c.runbook.description, steps: stepsOf(c.runbook).length, ideal: c.ideal, summary, runs, drplanBreakdown: explained });
    }
  } finally {
    say('');
    say(`load average at end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    if (o.keep) note(`bench:peers: programs and logs kept in ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
  if (o.json) writeFileSync(o.json, JSON.stringify({ machine, versions, reps: o.reps, results }, null, 2) + '\n');
  if (!failed) printMarkdown(results, programs);
  return failed ? 1 : 0;
}

function printCase(c, programs, summary) {
  say(`  ${'program'.padEnd(8)} ${'wall s (min-max)'.padEnd(20)} ${'÷ ideal'.padStart(8)} ${'CPU s'.padStart(7)} ${'PSS MB'.padStart(8)} ${'largest RSS MB'.padStart(16)}`);
  for (const p of programs) {
    const s = summary[p];
    say(
      `  ${p.padEnd(8)} ${`${sec(s.wallMs)} (${sec(s.wallMinMs)}-${sec(s.wallMaxMs)})`.padEnd(20)} ${times(s.wallMs / c.ideal.lowerBound).padStart(8)} ${sec(s.cpuMs).padStart(7)} ${mb(s.peakTreePssMb).padStart(8)} ${mb(s.maxProcessRssMb).padStart(16)}`,
    );
  }
  const d = summary.drplan;
  if (d && summary.bash) say(`  drplan ÷ bash: ${times(d.wallMs / summary.bash.wallMs)} wall (target ≤ 1.10×)`);
  if (d && summary.ansible) say(`  ansible ÷ drplan: ${times(summary.ansible.wallMs / d.wallMs)} wall (target ≥ 5×)`);
}

function printExplanation(e) {
  say(`  drplan's median run, from its journal: ${e.records} records; start-up to the first record ${sec(e.startupMs)} s; first to last record ${sec(e.runMs)} s; last record to exit ${sec(e.exitMs)} s`);
  say(`    site operations ${sec(e.siteOpsMs)} s in all · steps ${sec(e.stepsOverIdealMs)} s over their ideal (longest first) · per step, started to succeeded less the sleep: median ${e.inStepOverheadMs.p50} ms, p90 ${e.inStepOverheadMs.p90} ms, max ${e.inStepOverheadMs.max} ms`);
  for (const g of e.groups) {
    say(`    ${g.group}: site operations ${sec(g.siteOpsMs)} s · steps ${sec(g.stepsMs)} s vs ${sec(g.idealStepsMs)} s ideal (longest first) · ${g.overheadPerStepMs.toFixed(1)} ms overhead per step in a slot`);
  }
}

function printMarkdown(results, programs) {
  say('');
  say('| runbook | program | wall s (median, min–max) | ÷ ideal lower bound | CPU s | peak PSS MB (tree) |');
  say('|---|---|---|---|---|---|');
  for (const r of results) {
    for (const p of programs) {
      const s = r.summary[p];
      say(`| ${r.case} (${r.steps} steps; ideal ${sec(r.ideal.lowerBound)} s) | ${p} | ${sec(s.wallMs)} (${sec(s.wallMinMs)}–${sec(s.wallMaxMs)}) | ${times(s.wallMs / r.ideal.lowerBound)} | ${sec(s.cpuMs)} | ${mb(s.peakTreePssMb)} |`);
    }
  }
}

process.exitCode = await main(process.argv.slice(2));
