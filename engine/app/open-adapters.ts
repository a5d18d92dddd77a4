import { dirname, resolve } from 'node:path';
import { loadBuiltinAdapter } from '../../adapters/registry.js';
import { shellDeclaration } from '../../adapters/shell/declaration.js';
import { simulatorAdapter, simulatorConfigFor, type SimulatorConfig, type SimulatorFault } from '../../adapters/simulator/index.js';
import type { Adapter, AdapterInstance, AdapterLogger, Clock } from '../../adapters/types.js';
import type { Plan } from '../model/plan.js';
import { createRandom, deriveSeed } from '../model/random.js';

export interface OpenAdaptersOptions {
  dryRun: boolean;
  /** `--fault` injections; without an instance they apply to every simulated instance. */
  faults: { fault: SimulatorFault; instance?: string }[];
  seed: number;
  clock: Clock;
  logger: AdapterLogger;
  env: Readonly<Record<string, string | undefined>>;
  /** Adapters with their runtime code, by type, looked up before the built-ins (third-party adapters, test doubles). */
  adapters?: ReadonlyMap<string, Adapter<any>>;
  /** Directory of the plan file; relative paths in adapter configs and `run` steps resolve against it. */
  planDir?: string;
}

export interface OpenedAdapters {
  adapters: Map<string, AdapterInstance>;
  /** What `run` steps execute through (the simulator's `exec` in a dry-run). */
  shell: AdapterInstance;
  close(): Promise<void>;
}

/** The pseudo-instance name `run` steps are journaled and faulted under. */
export const RUN_STEP_INSTANCE = 'run';

/**
 * Opens every adapter instance of the plan. A dry-run opens the simulator in place of each, built
 * from that instance's declared operations and estimates, so the whole plan runs in simulated time
 * with nothing touched.
 */
export async function openAdapters(plan: Plan, options: OpenAdaptersOptions): Promise<OpenedAdapters> {
  const adapterOf = async (type: string) => options.adapters?.get(type) ?? (await loadBuiltinAdapter(type));
  const planDir = options.planDir ?? dirname(resolve(plan.file));
  const opened: AdapterInstance[] = [];
  const adapters = new Map<string, AdapterInstance>();
  const environment = (instance: string) => ({
    instance,
    planDir,
    clock: options.clock,
    random: createRandom(deriveSeed(options.seed, instance)),
    logger: options.logger,
    env: options.env,
  });
  const withFaults = (instance: string, config: SimulatorConfig): SimulatorConfig => {
    const extra = options.faults.filter((f) => f.instance === undefined || f.instance === instance).map((f) => f.fault);
    return extra.length > 0 ? { ...config, faults: [...(config.faults ?? []), ...extra] } : config;
  };

  try {
    for (const spec of Object.values(plan.adapters)) {
      let instance: AdapterInstance;
      if (spec.type === 'simulator') {
        instance = await simulatorAdapter.open(withFaults(spec.name, withEstimates(spec.config as SimulatorConfig, spec.estimatesMs)), environment(spec.name));
      } else if (options.dryRun) {
        const config = simulatorConfigFor(spec.operations, spec.estimatesMs, deriveSeed(options.seed, spec.name));
        instance = await simulatorAdapter.open(withFaults(spec.name, config), environment(spec.name));
      } else {
        const adapter = await adapterOf(spec.type);
        if (!adapter) throw new Error(`adapter type "${spec.type}" of instance "${spec.name}" is not installed`);
        instance = await adapter.open(spec.config, environment(spec.name));
      }
      opened.push(instance);
      adapters.set(spec.name, instance);
    }
    const shell = options.dryRun
      ? await simulatorAdapter.open(withFaults(RUN_STEP_INSTANCE, simulatorConfigFor(shellDeclaration.operations({}), {}, deriveSeed(options.seed, RUN_STEP_INSTANCE))), environment(RUN_STEP_INSTANCE))
      : await (await adapterOf('shell'))!.open({}, environment(RUN_STEP_INSTANCE));
    opened.push(shell);
    return {
      adapters,
      shell,
      async close() {
        await Promise.allSettled(opened.map((i) => i.close?.()));
      },
    };
  } catch (error) {
    await Promise.allSettled(opened.map((i) => i.close?.()));
    throw error;
  }
}

/**
 * The instance's `estimates` are what `drplan plan` counts on, so the simulator must take as long:
 * they fill in every operation whose simulated config gives no estimate of its own.
 */
function withEstimates(config: SimulatorConfig, estimatesMs: Record<string, number>): SimulatorConfig {
  if (Object.keys(estimatesMs).length === 0) return config;
  const operations = { ...(config.operations ?? {}) };
  for (const [name, ms] of Object.entries(estimatesMs)) {
    const declared = operations[name];
    if (declared?.estimate === undefined) operations[name] = { ...declared, estimate: `${ms}ms` };
  }
  return { ...config, operations };
}
