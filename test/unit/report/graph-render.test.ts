import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { ExecKind, ExecStep, ExecutionPlan, Phase } from '../../../engine/model/execution.js';
import type { GateSpec, ManualSpec, ModeName, Plan, PlanGroup, PlanStep } from '../../../engine/model/plan.js';
import { renderDot } from '../../../engine/report/graph-dot.js';
import { renderMermaid } from '../../../engine/report/graph-mermaid.js';
import { buildGraphModel, type GraphModel } from '../../../engine/report/graph-model.js';

// ---------------------------------------------------------------------------------------------
// A small builder of hand-made execution plans: the resolver is not what is under test here.

type StepOptions = { after?: string[]; phase?: Phase; group?: string | null; skipped?: boolean; modes?: ModeName[] };

class ExecBuilder {
  private readonly steps: ExecStep[] = [];
  private readonly failure: ExecStep[] = [];
  private readonly groups: PlanGroup[] = [];
  private readonly pools: Record<string, number> = {};
  private target = this.steps;

  constructor(
    private readonly name = 'payments-eu',
    private readonly mode: ModeName = 'planned',
  ) {}

  action(id: string, call: string, o: StepOptions = {}): this {
    const [adapter = '', operation = ''] = call.split('.');
    return this.push(id, 'action', o, { adapter, operation, step: planStep(id, o, { kind: 'action', adapter, operation, with: {} }) });
  }

  run(id: string, argv: string[], o: StepOptions = {}): this {
    return this.push(id, 'run', o, { step: planStep(id, o, { kind: 'run', argv, script: false }) });
  }

  gate(id: string, gate: Partial<GateSpec>, o: StepOptions = {}): this {
    const spec: GateSpec = { approvers: ['dba'], principals: ['alice', 'bob'], quorum: 1, onTimeout: 'fail', allowInitiator: false, ...gate };
    return this.push(id, 'gate', o, { step: planStep(id, o, { kind: 'gate', gate: spec }) });
  }

  manual(id: string, manual: Partial<ManualSpec>, o: StepOptions = {}): this {
    const spec: ManualSpec = { instructions: 'do it', assignees: [], principals: null, ...manual };
    return this.push(id, 'manual', o, { step: planStep(id, o, { kind: 'manual', manual: spec }) });
  }

  /** Declares a group (for its name) and adds `ops` on every VM, each VM's ops chained, the first after `after`. */
  vms(group: string, vms: string[], ops: string[], o: StepOptions & { name?: string; concurrency?: number } = {}): this {
    if (!this.groups.some((g) => g.id === group)) {
      const concurrency = o.concurrency ?? vms.length;
      this.groups.push({ id: group, name: o.name, pointer: '', dependsOn: [], vms: vms.map((name) => ({ name, attributes: {}, pointer: '' })), concurrency, pre: [], post: [] });
      this.pools[group] = concurrency;
    }
    for (const vm of vms) {
      let after = o.after ?? [];
      for (const op of ops) {
        const id = `${group}/${vm}/${op}`;
        this.push(id, 'vm', { ...o, group, after }, { vm, adapter: 'site', operation: op, pool: group });
        after = [id];
      }
    }
    return this;
  }

  /** Steps added from here on are the plan's `onFailure` steps. */
  onFailure(): this {
    this.target = this.failure;
    return this;
  }

  build(): ExecutionPlan {
    const plan = { file: 'plans/test.yaml', name: this.name, objectives: {}, adapters: {}, sites: { source: 'site', target: 'site' }, parameters: {}, approvers: {}, modes: {}, prechecks: [], groups: this.groups, finalize: [], cleanup: [], onFailure: [], document: {} } as unknown as Plan;
    return { plan, mode: this.mode, params: {}, steps: this.steps, onFailure: this.failure, pools: this.pools, criticalPath: { steps: [], estimateMs: 0 }, objectives: { rtoMs: null, fits: null }, unestimated: [] };
  }

  private push(id: string, kind: ExecKind, o: StepOptions, extra: Partial<ExecStep>): this {
    const phase = o.phase ?? (this.target === this.failure ? 'onFailure' : 'groups');
    this.target.push({ id, kind, phase, group: o.group ?? null, vm: null, operation: null, adapter: null, skipped: o.skipped ?? false, after: o.after ?? [], estimateMs: 0, estimated: false, step: null, pool: null, ...extra });
    return this;
  }
}

function planStep(id: string, o: StepOptions, body: Record<string, unknown>): PlanStep {
  return { id, pointer: '', section: 'pre', group: o.group ?? null, modes: o.modes ?? null, retry: { attempts: 1, backoffMs: 0, factor: 1 }, forEach: false, ...body } as PlanStep;
}

/** The payments-eu example of SPEC §2, planned mode, drawn by hand. */
function paymentsEu(mode: ModeName = 'planned'): ExecBuilder {
  return new ExecBuilder('payments-eu', mode)
    .action('replication-healthy', 'site.replicationHealth', { phase: 'prechecks' })
    .gate('dba-signoff', { quorum: 2, timeoutMs: 30 * 60_000 }, { group: 'database', after: ['replication-healthy'] })
    .vms('database', ['pg-1', 'pg-2'], ['failover', 'start'], { name: 'Database tier', after: ['dba-signoff'] })
    .run('smoke', ['./scripts/smoke.sh', '{{group.id}}'], { group: 'database', after: ['database/pg-1/start', 'database/pg-2/start'] })
    .vms('app', ['app-1', 'app-2', 'app-3'], ['failover', 'start'], { after: ['smoke'] })
    .manual('check-dashboards', { assignees: ['ops-oncall'] }, { phase: 'finalize', after: ['app/app-1/start', 'app/app-2/start', 'app/app-3/start'] })
    .action('dns-alias', 'site.setAlias', { phase: 'finalize', after: ['check-dashboards'] })
    .action('drop-drill-net', 'site.deleteNetwork', { phase: 'cleanup', after: ['dns-alias'], skipped: mode !== 'test', modes: ['test'] })
    .onFailure()
    .action('mark-target-unusable', 'site.markUnusable', { after: ['dns-alias'] });
}

// ---------------------------------------------------------------------------------------------
// Reading the output back: a line grammar for each language, so every test also checks syntax.

const M_NODE = /^\s+(n_\w+)(\["|\(\("|\("|\{\{"|\[\/")([^"]*)("\]|"\)\)|"\)|"\}\}|"\\\])$/;
const M_EDGE = /^\s+(n_\w+) (-->|-\.->) (n_\w+)$/;
const M_LINE = [/^flowchart TD$/, /^\s+%% [^\n]*$/, /^\s+subgraph cluster_\w+ \["[^"]*"\]$/, /^\s+end$/, M_NODE, M_EDGE, /^\s+classDef \w+ [\w:#,\- ]+$/, /^\s+class n_\w+(,n_\w+)* \w+$/, /^\s+style cluster_\w+ [\w:#,\- ]+$/];

interface ParsedMermaid {
  nodes: Map<string, { shape: string; lines: string[] }>;
  edges: { from: string; to: string; dotted: boolean }[];
  subgraphs: string[];
  classes: Map<string, string[]>;
}

function parseMermaid(text: string): ParsedMermaid {
  const parsed: ParsedMermaid = { nodes: new Map(), edges: [], subgraphs: [], classes: new Map() };
  let depth = 0;
  for (const line of text.trimEnd().split('\n')) {
    expect(M_LINE.some((re) => re.test(line)), `not Mermaid we emit: ${line}`).toBe(true);
    const node = M_NODE.exec(line);
    if (node) {
      expect(parsed.nodes.has(node[1]!), `declared twice: ${node[1]}`).toBe(false);
      parsed.nodes.set(node[1]!, { shape: node[2]!, lines: node[3]!.split('<br/>').map(decodeMermaid) });
    }
    const edge = M_EDGE.exec(line);
    if (edge) parsed.edges.push({ from: edge[1]!, to: edge[3]!, dotted: edge[2] === '-.->' });
    const sub = /^\s+subgraph \w+ \["([^"]*)"\]$/.exec(line);
    if (sub) parsed.subgraphs.push(decodeMermaid(sub[1]!));
    const cls = /^\s+class ([\w,]+) (\w+)$/.exec(line);
    if (cls) parsed.classes.set(cls[2]!, cls[1]!.split(','));
    if (/^\s+subgraph /.test(line)) depth++;
    if (/^\s+end$/.test(line)) depth--;
  }
  expect(depth).toBe(0);
  for (const e of parsed.edges) expect(parsed.nodes.has(e.from) && parsed.nodes.has(e.to), `${e.from} -> ${e.to}`).toBe(true);
  return parsed;
}

function decodeMermaid(text: string): string {
  return text.replace(/#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
}

/** The node whose first label line is `first`. */
function nodeLabelled(parsed: ParsedMermaid, first: string): [string, { shape: string; lines: string[] }] {
  const found = [...parsed.nodes].find(([, n]) => n.lines[0] === first);
  if (!found) throw new Error(`no node labelled ${first}`);
  return found;
}

function hasEdge(parsed: ParsedMermaid, from: string, to: string): boolean {
  return parsed.edges.some((e) => e.from === nodeLabelled(parsed, from)[0] && e.to === nodeLabelled(parsed, to)[0]);
}


// ---------------------------------------------------------------------------------------------

describe('renderMermaid', () => {
  it('draws phases in order and a subgraph per group titled with its id and name', () => {
    const parsed = parseMermaid(renderMermaid(paymentsEu().build()));
    expect(parsed.subgraphs).toEqual(['prechecks', 'database · Database tier', 'app', 'finalize', 'cleanup', 'on failure · once, if the run fails or is cancelled']);
  });

  it('starts with the diagram type and a comment naming plan and mode', () => {
    const text = renderMermaid(paymentsEu('test').build());
    expect(text.split('\n').slice(0, 2)).toEqual(['flowchart TD', '  %% drplan graph · plan payments-eu · mode test']);
  });

  it('gives gates, manual steps, actions, commands and VM operations their own shapes and words', () => {
    const parsed = parseMermaid(renderMermaid(paymentsEu().build()));
    expect(nodeLabelled(parsed, 'gate: dba-signoff · quorum 2 of dba')[1]).toEqual({ shape: '{{"', lines: ['gate: dba-signoff · quorum 2 of dba', 'timeout 30m'] });
    expect(nodeLabelled(parsed, 'check-dashboards')[1]).toEqual({ shape: '[/"', lines: ['check-dashboards', 'manual · ops-oncall'] });
    expect(nodeLabelled(parsed, 'replication-healthy')[1]).toEqual({ shape: '["', lines: ['replication-healthy', 'site.replicationHealth'] });
    expect(nodeLabelled(parsed, 'smoke')[1]).toEqual({ shape: '["', lines: ['smoke', '$ ./scripts/smoke.sh …'] });
    expect(parsed.nodes.get('n_database_pg_1_failover')).toEqual({ shape: '("', lines: ['pg-1', 'site.failover'] });
    expect(parsed.classes.get('gate')).toEqual([nodeLabelled(parsed, 'gate: dba-signoff · quorum 2 of dba')[0]]);
    expect(parsed.classes.get('manual')).toEqual([nodeLabelled(parsed, 'check-dashboards')[0]]);
  });

  it('says what a gate does on timeout', () => {
    const exec = new ExecBuilder()
      .gate('a', { timeoutMs: 600_000, onTimeout: 'approve' })
      .gate('b', { approvers: ['dba', 'carol'], quorum: 2, timeoutMs: 3_600_000, onTimeout: { escalate: { approvers: ['change-board'], principals: [], quorum: 1 } } })
      .build();
    const parsed = parseMermaid(renderMermaid(exec));
    expect(nodeLabelled(parsed, 'gate: a · quorum 1 of dba')[1].lines[1]).toBe('timeout 10m, then approve');
    expect(nodeLabelled(parsed, 'gate: b · quorum 2 of dba, carol')[1].lines[1]).toBe('timeout 1h, then escalate to change-board');
  });

  it('greys out skipped steps, names the mode that skips them and dots their arrows', () => {
    const parsed = parseMermaid(renderMermaid(paymentsEu('planned').build()));
    const [id, node] = nodeLabelled(parsed, 'drop-drill-net');
    expect(node.lines).toEqual(['drop-drill-net', 'site.deleteNetwork', '(skipped in planned)']);
    expect(parsed.classes.get('skipped')).toEqual([id]);
    expect(parsed.edges.filter((e) => e.to === id)).toEqual([{ from: nodeLabelled(parsed, 'dns-alias')[0], to: id, dotted: true }]);
    expect(parsed.edges.filter((e) => e.dotted)).toHaveLength(1);
  });

  it('greys a skipped gate rather than colouring it as a gate', () => {
    const parsed = parseMermaid(renderMermaid(new ExecBuilder('p', 'test').gate('g', {}, { skipped: true }).build()));
    expect(parsed.classes.get('skipped')).toEqual(['n_g']);
    expect(parsed.classes.has('gate')).toBe(false);
  });

  it('draws the onFailure steps in a dashed frame with no arrow from the main flow', () => {
    const text = renderMermaid(paymentsEu().build());
    const parsed = parseMermaid(text);
    const [id] = nodeLabelled(parsed, 'mark-target-unusable');
    expect(parsed.edges.filter((e) => e.from === id || e.to === id)).toEqual([]);
    expect(text).toMatch(/^ {2}style cluster_on_failure stroke-dasharray:6 4$/m);
  });

  it('keeps arrows among the onFailure steps', () => {
    const exec = new ExecBuilder().action('a', 's.a').onFailure().action('f1', 's.f').action('f2', 's.g', { after: ['f1', 'a'] }).build();
    const parsed = parseMermaid(renderMermaid(exec));
    expect(parsed.edges.map((e) => `${e.from}>${e.to}`)).toEqual(['n_f1>n_f2']);
  });

  it('leaves a group of exactly maxVmsPerGroup VMs expanded', () => {
    const vms = Array.from({ length: 8 }, (_, i) => `vm-${i}`);
    const parsed = parseMermaid(renderMermaid(new ExecBuilder().vms('web', vms, ['failover', 'start']).build()));
    expect(parsed.nodes.size).toBe(16);
  });

  it('collapses a crowded group to one node per operation, with count and concurrency', () => {
    const vms = Array.from({ length: 120 }, (_, i) => `web-${i}.example.com`);
    const exec = new ExecBuilder()
      .gate('go', {}, { group: 'web' })
      .vms('web', vms, ['failover', 'start'], { after: ['go'], concurrency: 8 })
      .action('post', 'lb.enable', { group: 'web', after: vms.map((vm) => `web/${vm}/start`) })
      .build();
    const parsed = parseMermaid(renderMermaid(exec));
    expect([...parsed.nodes.values()].map((n) => n.lines[0])).toEqual([
      'gate: go · quorum 1 of dba',
      'failover × 120 VMs (concurrency 8)',
      'start × 120 VMs (concurrency 8)',
      'post',
    ]);
    expect(nodeLabelled(parsed, 'failover × 120 VMs (concurrency 8)')[1].shape).toBe('("');
    expect(parsed.edges.map((e) => [e.from, e.to])).toEqual([
      [nodeLabelled(parsed, 'gate: go · quorum 1 of dba')[0], nodeLabelled(parsed, 'failover × 120 VMs (concurrency 8)')[0]],
      [nodeLabelled(parsed, 'failover × 120 VMs (concurrency 8)')[0], nodeLabelled(parsed, 'start × 120 VMs (concurrency 8)')[0]],
      [nodeLabelled(parsed, 'start × 120 VMs (concurrency 8)')[0], 'n_post'],
    ]);
  });

  it('collapses forEach steps of a crowded group under the plan step id', () => {
    const vms = ['a', 'b', 'c'];
    const b = new ExecBuilder().vms('g', vms, ['failover']);
    for (const vm of vms) b.run(`probe/${vm}`, ['probe', vm], { group: 'g', after: [`g/${vm}/failover`] });
    const exec = b.build();
    for (const s of exec.steps.filter((x) => x.kind === 'run')) Object.assign(s, { vm: s.id.split('/')[1], pool: 'g', step: { ...s.step!, id: 'probe', forEach: true } });
    const parsed = parseMermaid(renderMermaid(exec, { maxVmsPerGroup: 2 }));
    expect(nodeLabelled(parsed, 'probe × 3 VMs (concurrency 3)')[1]).toEqual({ shape: '["', lines: ['probe × 3 VMs (concurrency 3)', '$ probe …'] });
    expect(hasEdge(parsed, 'failover × 3 VMs (concurrency 3)', 'probe × 3 VMs (concurrency 3)')).toBe(true);
  });

  it('honours maxVmsPerGroup per group', () => {
    const exec = paymentsEu().build();
    const parsed = parseMermaid(renderMermaid(exec, { maxVmsPerGroup: 2 }));
    expect(parsed.nodes.has('n_database_pg_1_failover')).toBe(true);
    expect(hasEdge(parsed, 'smoke', 'failover × 3 VMs (concurrency 3)')).toBe(true);
    expect(hasEdge(parsed, 'start × 3 VMs (concurrency 3)', 'check-dashboards')).toBe(true);
  });

  it('drops arrows implied by others, unless asked not to', () => {
    const exec = new ExecBuilder().action('a', 's.a').action('b', 's.b', { after: ['a'] }).action('c', 's.c', { after: ['a', 'b'] }).build();
    expect(parseMermaid(renderMermaid(exec)).edges.map((e) => `${e.from}>${e.to}`)).toEqual(['n_a>n_b', 'n_b>n_c']);
    expect(parseMermaid(renderMermaid(exec, { reduceEdges: false })).edges.map((e) => `${e.from}>${e.to}`)).toEqual(['n_a>n_b', 'n_a>n_c', 'n_b>n_c']);
  });

  it('routes every VM of a group after every VM of the group before through one junction between the frames', () => {
    const web = ['w1', 'w2', 'w3'];
    const exec = new ExecBuilder()
      .vms('db', ['d1', 'd2'], ['failover', 'start'])
      .vms('web', web, ['failover'], { after: ['db/d1/start', 'db/d2/start'] })
      .build();
    const model = buildGraphModel(exec);
    expect(model.unframed).toEqual(['n_join']);
    const text = renderMermaid(exec);
    const parsed = parseMermaid(text);
    expect(parsed.nodes.get('n_join')).toEqual({ shape: '(("', lines: [' '] });
    expect(parsed.edges.filter((e) => e.from === 'n_join' || e.to === 'n_join').map((e) => `${e.from}>${e.to}`)).toEqual([
      'n_db_d1_start>n_join',
      'n_db_d2_start>n_join',
      'n_join>n_web_w1_failover',
      'n_join>n_web_w2_failover',
      'n_join>n_web_w3_failover',
    ]);
    expect(parsed.classes.get('join')).toEqual(['n_join']);
    expect(text).toMatch(/^ {2}end\n {2}n_join\(\(" "\)\)$/m);
    expect(parseMermaid(renderMermaid(exec, { reduceEdges: false })).nodes.has('n_join')).toBe(false);
  });

  it('keeps a junction whose arrows stay in one frame inside that frame', () => {
    const exec = new ExecBuilder()
      .gate('g1', {}, { group: 'db' })
      .gate('g2', {}, { group: 'db' })
      .vms('db', ['d1', 'd2', 'd3'], ['failover'], { after: ['g1', 'g2'] })
      .build();
    const model = buildGraphModel(exec);
    expect(model.unframed).toEqual([]);
    expect(model.clusters[0]!.nodes).toContain('n_join');
  });

  it('escapes hostile ids, names and commands so that any of them renders', () => {
    const hostile = 'x"]; end\n%% click <b>#1</b> | {{y}} (z) `w` \\ &amp;';
    const exec = new ExecBuilder(hostile)
      .action(hostile, 'site.op')
      .vms('g"]end', ['pg-1.example.com', 'end', 'o'], ['failover'], { name: 'A "quoted" <name>', after: [hostile] })
      .run('r', ['echo "]"; rm -rf /#'], { after: [hostile] })
      .build();
    const text = renderMermaid(exec);
    const parsed = parseMermaid(text);
    expect(nodeLabelled(parsed, hostile.replace('\n', ' '))[1].lines).toEqual([hostile.replace('\n', ' '), 'site.op']);
    expect(parsed.subgraphs).toContain('g"]end · A "quoted" <name>');
    expect(nodeLabelled(parsed, 'r')[1].lines[1]).toBe('$ echo "]"; rm -rf /#');
    for (const id of [...parsed.nodes.keys()]) expect(id).toMatch(/^n_[A-Za-z0-9_]+$/);
    expect(text.split('\n')[1]).toBe(`  %% drplan graph · plan ${hostile.replace('\n', ' ')} · mode planned`);
  });

  it('is deterministic: equal plans give equal text', () => {
    const a = renderMermaid(paymentsEu().build(), { maxVmsPerGroup: 2 });
    const b = renderMermaid(structuredClone(paymentsEu().build()), { maxVmsPerGroup: 2 });
    expect(a).toBe(b);
  });
});

describe('buildGraphModel', () => {
  it('nests group-bound steps of other phases (planned shutdown) in a frame per group', () => {
    const exec = new ExecBuilder()
      .vms('app', ['a1'], ['shutdown'], { phase: 'shutdown' })
      .vms('db', ['d1'], ['shutdown'], { phase: 'shutdown', after: ['app/a1/shutdown'] })
      .action('sync', 'site.sync', { phase: 'sync', after: ['db/d1/shutdown'] })
      .build();
    const model: GraphModel = buildGraphModel(exec);
    expect(model.clusters.map((c) => [c.title, c.nodes, c.clusters.map((g) => [g.id, g.title, g.nodes])])).toEqual([
      ['shutdown · source side, groups in reverse', [], [['cluster_shutdown_app', 'app', ['n_app_a1_shutdown']], ['cluster_shutdown_db', 'db', ['n_db_d1_shutdown']]]],
      ['sync · final replication', ['n_sync'], []],
    ]);
  });

  it('draws every step exactly once and every collapsed step inside its batch', () => {
    const exec = paymentsEu().build();
    const model = buildGraphModel(exec, { maxVmsPerGroup: 2 });
    const drawn = model.nodes.flatMap((n) => n.steps);
    expect(drawn.sort()).toEqual([...exec.steps, ...exec.onFailure].map((s) => s.id).sort());
    expect(model.nodes.filter((n) => n.batch !== null).map((n) => [n.steps.length, n.batch])).toEqual([
      [3, { vms: 3, concurrency: 3 }],
      [3, { vms: 3, concurrency: 3 }],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------

const D_LINE = [
  /^\/\/ [^\n]*$/,
  /^digraph "(?:[^"\\]|\\.)*" \{$/,
  /^\s+(graph|node|edge) \[.*\];$/,
  /^\s+subgraph "cluster_\w+" \{$/,
  /^\s+"n_\w+" \[.*\];$/,
  /^\s+"n_\w+" -> "n_\w+"( \[.*\])?;$/,
  /^\s*\}$/,
];

/** Attribute lists as we write them: `k="v"` pairs whose values escape `"` and `\`. */
const D_ATTRS = /\[(\w+="(?:[^"\\]|\\.)*")(, \w+="(?:[^"\\]|\\.)*")*\]/;

function checkDot(text: string): void {
  let depth = 0;
  for (const line of text.trimEnd().split('\n')) {
    expect(D_LINE.some((re) => re.test(line)), `not DOT we emit: ${line}`).toBe(true);
    if (line.includes('[')) expect(line, line).toMatch(D_ATTRS);
    if (line.endsWith('{')) depth++;
    if (/^\s*\}$/.test(line)) depth--;
  }
  expect(depth).toBe(0);
}

describe('renderDot', () => {
  it('draws a top-to-bottom digraph with a cluster per phase and group', () => {
    const text = renderDot(paymentsEu().build());
    checkDot(text);
    expect(text).toContain('graph [rankdir="TB"');
    expect(text.match(/subgraph "cluster_\w+"/g)).toEqual([
      'subgraph "cluster_prechecks"',
      'subgraph "cluster_group_database"',
      'subgraph "cluster_group_app"',
      'subgraph "cluster_finalize"',
      'subgraph "cluster_cleanup"',
      'subgraph "cluster_on_failure"',
    ]);
    expect(text).toContain('graph [label="database · Database tier", style="rounded"');
    expect(text).toMatch(/subgraph "cluster_on_failure" \{\n\s+graph \[label="on failure[^"]*", style="dashed"/);
  });

  it('uses the same shapes as the Mermaid diagram', () => {
    const text = renderDot(paymentsEu().build());
    expect(text).toContain('"n_dba_signoff" [label="gate: dba-signoff · quorum 2 of dba\\ntimeout 30m", shape="hexagon"');
    expect(text).toContain('"n_check_dashboards" [label="check-dashboards\\nmanual · ops-oncall", shape="trapezium"');
    expect(text).toContain('"n_database_pg_1_failover" [label="pg-1\\nsite.failover", shape="box", style="rounded"]');
    expect(text).toContain('"n_dns_alias" [label="dns-alias\\nsite.setAlias", shape="box"]');
  });

  it('draws skipped steps dashed and grey, their arrows too', () => {
    const text = renderDot(paymentsEu().build());
    expect(text).toContain('"n_drop_drill_net" [label="drop-drill-net\\nsite.deleteNetwork\\n(skipped in planned)", shape="box", style="dashed", color="grey", fontcolor="grey"]');
    expect(text).toContain('"n_dns_alias" -> "n_drop_drill_net" [style="dashed", color="grey"];');
  });

  it('escapes quotes and backslashes so a hostile label stays one string', () => {
    const text = renderDot(new ExecBuilder('a"b').action('x"y\\n', 'site.op').build());
    checkDot(text);
    expect(text).toContain('digraph "a\\"b" {');
    expect(text).toContain('"n_x_y_n" [label="x\\"y\\\\n\\nsite.op", shape="box"]');
  });

  it('has the same nodes and arrows as the Mermaid diagram', () => {
    const exec = paymentsEu().build();
    const parsed = parseMermaid(renderMermaid(exec, { maxVmsPerGroup: 2 }));
    const dot = renderDot(exec, { maxVmsPerGroup: 2 });
    expect([...dot.matchAll(/^\s+"(n_\w+)" \[/gm)].map((m) => m[1])).toEqual([...parsed.nodes.keys()]);
    expect([...dot.matchAll(/^\s+"(n_\w+)" -> "(n_\w+)"/gm)].map((m) => [m[1], m[2]])).toEqual(parsed.edges.map((e) => [e.from, e.to]));
  });

  // Graphviz is not a dependency: the syntax check runs where `dot` happens to be installed.
  const graphviz = spawnSync('dot', ['-V'], { stdio: 'ignore' }).status === 0;
  const title = graphviz ? 'is accepted by Graphviz (dot -Tsvg)' : 'is accepted by Graphviz (dot -Tsvg): skipped, `dot` is not installed';
  it.skipIf(!graphviz)(title, () => {
    const hostile = new ExecBuilder('a"b\\').action('x"y\\', 'site.op').onFailure().manual('m', {}).build();
    const junction = new ExecBuilder().vms('db', ['d1', 'd2'], ['start']).vms('web', ['w1', 'w2', 'w3'], ['failover'], { after: ['db/d1/start', 'db/d2/start'] }).build();
    for (const [exec, options] of [[paymentsEu().build(), {}], [paymentsEu('test').build(), { maxVmsPerGroup: 1 }], [hostile, {}], [junction, {}]] as const) {
      const svg = execFileSync('dot', ['-Tsvg'], { input: renderDot(exec, options) }).toString();
      expect(svg).toContain('<svg');
    }
  });
});
