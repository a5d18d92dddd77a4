import { assign, fromPromise, setup } from 'xstate';
import type { ExecutionPlan } from '../model/execution.js';
import type { ModeName, Plan, Scalar } from '../model/plan.js';
import { runStructure, type Lane, type Node, type Stage } from './machine-structure.js';
import { resolveExecution } from './resolve-execution.js';

/** What a step or batch actor reports back to the machine. */
export interface NodeOutcome {
  /** `abort`: the run must stop (after in-flight work drains). `ok`: go on. */
  status: 'ok' | 'abort';
  /** Something failed that does not stop the run but makes it end failed (a cleanup that did not clean). */
  markFailed?: boolean;
  failedStep?: string;
  error?: string;
}

export interface StepActorInput {
  stepId: string;
}

export interface BatchActorInput {
  pool: string;
  /** Each unit runs its step ids in order and holds one slot of the pool meanwhile. */
  units: string[][];
}

export interface RunContext {
  /** `<stage>:<group>` lanes that have finished. */
  done: Record<string, true>;
  aborting: boolean;
  failed: boolean;
  /** The main path reached test cleanup: after a failure there, cleanup is not run a second time. */
  cleanupStarted: boolean;
  /** A cancel arrived while test cleanup ran: cleanup finishes, then the run ends cancelled. */
  cancelled: boolean;
  failure: { stepId?: string; error?: string } | null;
}

export type RunEvent = { type: 'CANCEL'; reason?: string };

/** The actor names a compiled machine needs; the runner provides them with `machine.provide`. */
export const MACHINE_ACTORS = ['runStep', 'runBatch'] as const;

/**
 * Compiles a plan for one mode into an XState v5 machine. Pure: no I/O, clock or randomness.
 *
 * Phases are sequential states; a group phase is a parallel state with one lane per group whose
 * first state waits (eventless, guarded) for the lanes it depends on. A step is a state invoking
 * `runStep`; a group's VM operations (and a `forEach: vm` step) are one state invoking `runBatch`,
 * which fans out inside one actor — never one child actor per VM. A failure that aborts lets
 * in-flight work finish and starts nothing new, then runs test cleanup (`cleanup: always`) and
 * the plan's `onFailure`; `CANCEL` stops in-flight work at once and does the same.
 *
 * @example
 * const { machine, execution } = compilePlan(plan, 'planned', {});
 * const runnable = machine.provide({ actors: { runStep, runBatch } });
 */
export function compilePlan(plan: Plan, mode: ModeName, params: Record<string, Scalar>) {
  const execution = resolveExecution(plan, mode, params);
  return { machine: compileExecution(execution), execution, actors: MACHINE_ACTORS };
}

export function compileExecution(exec: ExecutionPlan) {
  const structure = runStructure(exec);
  const ids = new StateIds();

  const machineSetup = setup({
    types: {} as { context: RunContext; events: RunEvent },
    actors: {
      runStep: fromPromise<NodeOutcome, StepActorInput>(async () => {
        throw new Error('runStep must be provided by the runner');
      }),
      runBatch: fromPromise<NodeOutcome, BatchActorInput>(async () => {
        throw new Error('runBatch must be provided by the runner');
      }),
    },
    guards: {
      aborts: ({ event }) => (event as unknown as { output: NodeOutcome }).output.status === 'abort',
      aborting: ({ context }) => context.aborting,
      lanesDone: ({ context }, params: { keys: string[] }) => params.keys.every((k) => context.done[k]),
      failed: ({ context }) => context.failed,
      cleanupStarted: ({ context }) => context.cleanupStarted,
      cancelled: ({ context }) => context.cancelled,
    },
    actions: {
      noteOutcome: assign(({ context, event }) => {
        const outcome = (event as unknown as { output: NodeOutcome }).output;
        if (outcome.status === 'abort') {
          return { aborting: true, failed: true, failure: context.failure ?? { ...(outcome.failedStep ? { stepId: outcome.failedStep } : {}), ...(outcome.error ? { error: outcome.error } : {}) } };
        }
        return outcome.markFailed ? { failed: true, failure: context.failure ?? { ...(outcome.failedStep ? { stepId: outcome.failedStep } : {}), ...(outcome.error ? { error: outcome.error } : {}) } } : {};
      }),
      noteCrash: assign(({ context, event }) => ({
        aborting: true,
        failed: true,
        failure: context.failure ?? { error: `internal error: ${String((event as unknown as { error: unknown }).error)}` },
      })),
      laneDone: assign(({ context }, params: { key: string }) => ({ done: { ...context.done, [params.key]: true as const } })),
      resetForCleanup: assign({ aborting: false }),
      markCleanupStarted: assign({ cleanupStarted: true }),
      markCancelled: assign({ cancelled: true }),
    },
  });

  /** One node as a state: invoke, record the outcome, go to `next` (or stop when aborting). */
  const nodeState = (node: Node, next: string, halted: string) => ({
    invoke: {
      src: node.type === 'step' ? 'runStep' : 'runBatch',
      input: node.type === 'step' ? { stepId: node.stepId } : { pool: node.pool, units: node.units },
      onDone: [
        { guard: 'aborts', actions: 'noteOutcome', target: halted },
        { guard: 'aborting', actions: 'noteOutcome', target: halted },
        { actions: 'noteOutcome', target: next },
      ],
      // A rejected actor is a bug in the runner, but it must still end the run cleanly.
      onError: { actions: 'noteCrash', target: halted },
    },
  });

  const nodeStates = (nodes: Node[], end: string, halted: string) => {
    const names = nodes.map((n) => ids.next(n.type === 'step' ? n.stepId : n.label));
    const states: Record<string, unknown> = {};
    nodes.forEach((n, i) => {
      states[names[i]!] = nodeState(n, names[i + 1] ?? end, halted);
    });
    return { first: names[0] ?? end, states };
  };

  const chainState = (stage: Extract<Stage, { kind: 'chain' }>, onDone: unknown) => {
    const { first, states } = nodeStates(stage.nodes, 'end', 'halted');
    return { initial: first, states: { ...states, end: { type: 'final' }, halted: { type: 'final' } }, onDone };
  };

  const laneState = (stage: string, lane: Lane) => {
    const { first, states } = nodeStates(lane.nodes, 'end', 'halted');
    return {
      initial: 'waiting',
      states: {
        waiting: {
          always: [
            { guard: 'aborting', target: 'halted' },
            { guard: { type: 'lanesDone', params: { keys: lane.waitFor.map((g) => `${stage}:${g}`) } }, target: first },
          ],
        },
        ...states,
        end: { type: 'final', entry: { type: 'laneDone', params: { key: `${stage}:${lane.group}` } } },
        // A halted lane counts as done so that lanes waiting on it can halt too.
        halted: { type: 'final', entry: { type: 'laneDone', params: { key: `${stage}:${lane.group}` } } },
      },
    };
  };

  const stageState = (stage: Stage, onDone: unknown) => {
    const state =
      stage.kind === 'chain'
        ? chainState(stage, onDone)
        : { type: 'parallel', states: Object.fromEntries(stage.lanes.map((l) => [ids.next(`lane-${l.group}`), laneState(stage.name, l)])), onDone };
    return stage.name === 'cleanupVms' || stage.name === 'cleanupSteps' ? { ...state, entry: 'markCleanupStarted' } : state;
  };

  /** Stages in sequence; `abortTo` is where an aborting stage goes (null: carry on regardless, for cleanup and handlers). */
  const sequence = (stages: Stage[], prefix: string, finish: string, abortTo: string | null) => {
    const names = stages.map((s) => `${prefix}${s.name}`);
    const states: Record<string, unknown> = {};
    stages.forEach((stage, i) => {
      const next = names[i + 1] ?? finish;
      states[names[i]!] = stageState(stage, abortTo ? [{ guard: 'aborting', target: abortTo }, { target: next }] : { actions: 'resetForCleanup', target: next });
    });
    return { first: names[0] ?? finish, states };
  };

  const main = sequence(structure.main, '', 'completed', 'aborted');
  const failureCleanup = sequence(structure.cleanupAfterFailure, 'afterFailure-', 'onFailure', null);
  const cancelCleanup = sequence(structure.cleanupAfterFailure, 'afterCancel-', 'onCancel', null);
  const handlers = (prefix: string, finish: string) => sequence(structure.onFailure, prefix, finish, null);
  const failureHandlers = handlers('failed-', 'failed');
  const cancelHandlers = handlers('cancelled-', 'cancelled');

  const config = {
    id: 'run',
    context: { done: {}, aborting: false, failed: false, cleanupStarted: false, cancelled: false, failure: null } satisfies RunContext,
    initial: 'main',
    states: {
      main: {
        initial: main.first,
        states: { ...main.states, completed: { type: 'final' }, aborted: { type: 'final' } },
        on: {
          // Cleanup is never interrupted half-way: a cancel that arrives during it is noted and
          // takes effect once the test copies are gone.
          CANCEL: [{ guard: 'cleanupStarted', actions: 'markCancelled' }, { target: 'cancelling' }],
        },
        onDone: [
          { guard: 'cancelled', target: 'cancelling' },
          // Cleanup already ran in main when it got that far; a failure there goes straight to the handlers.
          { guard: 'failed', target: 'failing' },
          { target: 'succeeded' },
        ],
      },
      failing: {
        initial: 'route',
        entry: 'resetForCleanup',
        states: {
          route: { always: [{ guard: 'cleanupStarted', target: 'onFailure' }, { target: failureCleanup.first }] },
          ...failureCleanup.states,
          onFailure: { always: failureHandlers.first },
          ...failureHandlers.states,
          failed: { type: 'final' },
        },
        onDone: 'failed',
      },
      cancelling: {
        initial: 'route',
        entry: 'resetForCleanup',
        states: {
          route: { always: [{ guard: 'cleanupStarted', target: 'onCancel' }, { target: cancelCleanup.first }] },
          ...cancelCleanup.states,
          onCancel: { always: cancelHandlers.first },
          ...cancelHandlers.states,
          cancelled: { type: 'final' },
        },
        onDone: 'cancelled',
      },
      succeeded: { type: 'final' },
      failed: { type: 'final' },
      cancelled: { type: 'final' },
    },
  };
  return machineSetup.createMachine(config as never);
}

/** State ids are derived from step ids but must be unique and free of `.`, `#` and `/`, which XState reads as paths. */
class StateIds {
  private n = 0;
  next(label: string): string {
    return `s${this.n++}_${label.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 60)}`;
  }
}
