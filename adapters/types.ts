/**
 * The adapter contract (SPEC §4). An adapter is a plain object registered by `type`: it declares
 * its config schema and its operations (input schema, output schema, idempotency, optional
 * reconcile) so that validation, `drplan plan` and the simulator can reason about a plan without
 * calling anything. A third party adds an adapter by exporting one of these; the engine never
 * changes.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };
/** A JSON Schema (draft 2020-12) as plain data. */
export type JsonSchema = { [key: string]: unknown };

/** The operations a site adapter must provide for the failover modes. */
export const SITE_OPERATIONS = [
  'replicationHealth',
  'shutdown',
  'sync',
  'failover',
  'start',
  'testFailover',
  'cleanupTest',
] as const;
export type SiteOperation = (typeof SITE_OPERATIONS)[number];

/** What an operation promises, known without running it. */
export interface OperationDeclaration {
  description: string;
  /** Schema of the step's `with` (for VM operations: of the input the engine builds). */
  with: JsonSchema;
  /** Schema of the JSON output; its properties are what `{{steps.<id>.output.<key>}}` may name. */
  output?: JsonSchema;
  /** Calling it twice with the same idempotency key has the effect of calling it once. */
  idempotent: boolean;
  /** Whether the adapter can tell afterwards if an attempt's effect happened (see `reconcile`). */
  reconcilable?: boolean;
  /** Typical duration in milliseconds, for the critical path when the plan gives none. */
  estimateMs?: number;
}

/** The pure half of an adapter: enough to validate and plan. */
export interface AdapterDeclaration<Config = unknown> {
  type: string;
  description: string;
  /** Schema of the instance's `config`. */
  configSchema: JsonSchema;
  /** The operations an instance with this (already schema-valid) config provides. Pure. */
  operations(config: Config): Record<string, OperationDeclaration>;
}

/** Monotonic-enough time, real or simulated. All waiting in the engine and adapters goes through it. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms` (rejects with the signal's reason when aborted). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** True when time is simulated (dry-runs). */
  readonly simulated: boolean;
  /**
   * Simulated clocks only: a lease that stops time from advancing until released. Taken around
   * real I/O and while the run waits for people, so simulated time never runs out a timeout
   * while nobody could have acted.
   */
  hold?(): () => void;
}

export interface AdapterLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
  debug(fields: Record<string, unknown>, message: string): void;
}

/** What an operation receives besides its input. */
export interface OperationContext {
  runId: string;
  stepId: string;
  /** 1-based attempt number. */
  attempt: number;
  /** `runId:stepId:attempt` — stable across a crash and resume of the same attempt. */
  idempotencyKey: string;
  /** Aborted on timeout or cancel; operations must stop promptly and reject. */
  signal: AbortSignal;
  logger: AdapterLogger;
  clock: Clock;
  mode: 'planned' | 'unplanned' | 'test';
  /** The step's own `estimate`, when the plan gives one: the simulator uses it as the duration. */
  estimateMs?: number;
  /** The VM a VM operation or `forEach: vm` step acts on. */
  vm?: { name: string; [attribute: string]: string | number | boolean };
}

/** What the engine gives an adapter instance when it opens. */
export interface AdapterEnvironment {
  /** Instance name in the plan (`spec.adapters.<name>`). */
  instance: string;
  /** Directory of the plan file; relative paths in config resolve against it. */
  planDir: string;
  clock: Clock;
  /** Seeded randomness in [0, 1); the only randomness an adapter may use. */
  random: () => number;
  logger: AdapterLogger;
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * Outcome of asking an adapter whether an in-doubt attempt's effect happened. An adapter that can
 * also tell what the attempt produced (a failover's recovery point, say) returns it with
 * `{ happened: true, output }`, so later steps and the report see it as if the call had answered.
 */
export type ReconcileResult = 'happened' | 'not-happened' | 'unknown' | { happened: true; output: JsonObject };

/** A running instance of an adapter. */
export interface AdapterInstance {
  call(operation: string, input: JsonObject, ctx: OperationContext): Promise<JsonObject>;
  reconcile?(operation: string, input: JsonObject, ctx: OperationContext): Promise<ReconcileResult>;
  close?(): Promise<void>;
}

/** A complete adapter: the declaration plus the code that acts. */
export interface Adapter<Config = unknown> extends AdapterDeclaration<Config> {
  open(config: Config, env: AdapterEnvironment): Promise<AdapterInstance> | AdapterInstance;
}

/** Adapter declarations by type, as validation and planning see them. */
export type AdapterCatalog = ReadonlyMap<string, AdapterDeclaration<any>>;

/** Thrown by an operation to fail the step with a message meant for the operator. */
export class OperationError extends Error {
  constructor(
    message: string,
    readonly details: { retryable?: boolean; output?: JsonObject } = {},
  ) {
    super(message);
    this.name = 'OperationError';
  }
}
