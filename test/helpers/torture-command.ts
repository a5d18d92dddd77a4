/**
 * `npm run torture`: the crash-torture campaign as a command (scripts/torture.js builds this file
 * against dist/ and runs `main`). By default it runs cases until at least 500 SIGKILLs and 100
 * racing takeovers have been delivered, with every disruption kind, and exits 1 when any case
 * found a problem (each printed with the seed that reruns it) or the targets were not met.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DISRUPTION_KINDS, MAX_DISRUPTIONS, parseDisruptionKinds, problemCount, runCampaign, targetsMet, type CampaignOptions } from './torture-campaign.js';
import { formatReport, rerunCommand } from './torture-report.js';

const USAGE = `usage: npm run torture -- [options]

Real drplan processes on generated plans, disrupted and resumed until each run ends, judged
against an uninterrupted run and an effect ledger. Needs the build (npm run torture builds first).

  --disruptions <list>   comma-separated: ${DISRUPTION_KINDS.join(', ')}, or all (default all)
  --cases <n>            run exactly n cases (default: until the targets are met)
  --min-kills <n>        target: SIGKILLs delivered (default 500)
  --min-races <n>        target: racing resumes on stale locks (default 100; 0 without race)
  --max-cases <n>        give up on the targets after n cases (default 1500)
  --seed <n>             case i is generated from seed n + i (default: random, printed)
  --jobs <n>             cases driven at the same time (default 2)
  --max-disruptions <n>  per case (default ${MAX_DISRUPTIONS.command})
  --keep                 keep every case's folder (failed cases' folders are always kept)
  --scratch <dir>        where the cases' folders go (default: a new folder in the temp dir)
  --json <file>          also write the report as JSON
  --log <file>           append every case and its transcript to this file
`;

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

function integer(name: string, value: string | undefined, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min) throw new Error(`--${name} ${value}: expected a whole number ≥ ${min}`);
  return parsed;
}

export async function main(argv: readonly string[], out: (s: string) => void = (s) => process.stdout.write(s)): Promise<number> {
  let options: CampaignOptions;
  let json: string | undefined;
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        disruptions: { type: 'string' },
        cases: { type: 'string' },
        'min-kills': { type: 'string' },
        'min-races': { type: 'string' },
        'max-cases': { type: 'string' },
        seed: { type: 'string' },
        jobs: { type: 'string' },
        'max-disruptions': { type: 'string' },
        keep: { type: 'boolean' },
        scratch: { type: 'string' },
        json: { type: 'string' },
        log: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
    if (values.help) {
      out(USAGE);
      return 0;
    }
    const kinds = parseDisruptionKinds(values.disruptions ?? 'all');
    const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
    if (!Number.isInteger(seed)) throw new Error(`--seed ${values.seed}: expected a whole number`);
    json = values.json;
    options = {
      seed,
      ...(values.cases !== undefined ? { cases: integer('cases', values.cases, 0, 1) } : {}),
      minKills: integer('min-kills', values['min-kills'], 500),
      minRaces: integer('min-races', values['min-races'], kinds.includes('race') ? 100 : 0),
      maxCases: integer('max-cases', values['max-cases'], 1500, 1),
      jobs: integer('jobs', values.jobs, 2, 1),
      kinds,
      maxDisruptions: integer('max-disruptions', values['max-disruptions'], MAX_DISRUPTIONS.command, 1),
      scratch: values.scratch ?? mkdtempSync(join(tmpdir(), 'drplan-torture-')),
      keep: Boolean(values.keep),
      log: values.log ?? null,
    };
  } catch (error) {
    out(`torture: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }

  out(`drplan torture · seed ${options.seed} · disruptions: ${options.kinds.join(', ')} · ${options.cases !== undefined ? `${options.cases} cases` : `until ≥ ${options.minKills} SIGKILLs${options.minRaces ? ` and ≥ ${options.minRaces} racing takeovers` : ''}`} · ${options.jobs} at a time\n`);
  out(`cases in ${options.scratch}\n`);
  const report = await runCampaign({
    ...options,
    onCase(result, so) {
      const what = `${result.c.mode} ${result.c.shape.kind}${result.c.detach ? ' --detach' : ''}`;
      const verdict = result.problems.length === 0 ? 'ok' : `FAILED: ${[...new Set(result.problems.map((p) => p.kind))].join(', ')}`;
      out(`case ${String(result.index).padStart(4)} · seed ${result.seed} · ${what} · ${plural(result.kills, 'kill')}, ${plural(result.races, 'race')} · ${(result.ms / 1000).toFixed(1)} s · ${verdict} · totals ${so.kills.total} kills, ${so.races.total} races\n`);
      for (const p of result.problems.slice(0, 5)) out(`      - ${p.kind}: ${p.detail.split('\n')[0]!.slice(0, 300)}\n`);
      if (result.problems.length > 5) out(`      … and ${result.problems.length - 5} more\n`);
      if (result.problems.length > 0) out(`      rerun: ${rerunCommand(result.seed, options.kinds, options.maxDisruptions)} · folder ${result.dir}\n`);
    },
  });
  out('\n' + formatReport(report));
  if (json) writeFileSync(json, JSON.stringify(report, null, 2) + '\n');
  // What is left to look at is the failed cases' folders; the uninterrupted reference runs go.
  if (!options.keep) {
    for (const name of readdirSync(options.scratch)) if (name.startsWith('ref-')) rmSync(join(options.scratch, name), { recursive: true, force: true });
    if (readdirSync(options.scratch).length === 0) rmSync(options.scratch, { recursive: true, force: true });
  }
  return problemCount(report) === 0 && targetsMet(report) ? 0 : 1;
}
