import { parseDuration } from '../../engine/model/duration.js';
import type { AdapterDeclaration, JsonObject, JsonSchema, OperationDeclaration, SiteOperation } from '../types.js';

/**
 * The simulator's declaration: every site operation plus whatever `config.operations` declares,
 * so vendor procedures (StorSimple's `deactivateDevice`, JetStream's `failoverDomain`, …) are
 * plannable and runnable before a real adapter exists. Pure: used by validation and planning.
 */

export interface SimulatedOperationConfig {
  description?: string;
  estimate?: string;
  output?: JsonObject;
  idempotent?: boolean;
  with?: JsonSchema;
}

export interface SimulatorFault {
  operation: string;
  vm?: string;
  step?: string;
  times?: number;
  error?: string;
}

export interface SimulatorConfig {
  seed?: number;
  jitter?: number;
  operations?: Record<string, SimulatedOperationConfig>;
  faults?: SimulatorFault[];
  replicationLag?: string;
  dataLossWindow?: string;
}

const durationSchema = { type: 'string', pattern: '^(?=\\d)(\\d+d)?(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?$' };

export const simulatorConfigSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    seed: { type: 'integer', description: 'Seed of the simulated durations; the same seed gives the same run.' },
    jitter: {
      type: 'number',
      minimum: 0,
      maximum: 1,
      description: 'Random spread of simulated durations around their estimate, as a fraction (0.1 = ±10%). Default 0.1.',
    },
    operations: {
      type: 'object',
      description: 'Extra operations this instance provides, by name (vendor operations a plan calls as `<instance>.<name>`).',
      propertyNames: { pattern: '^[A-Za-z][A-Za-z0-9_]*$' },
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        properties: {
          description: { type: 'string' },
          estimate: { ...durationSchema, description: 'How long the operation takes in simulated time.' },
          output: { type: 'object', description: 'The JSON the operation returns.' },
          idempotent: { type: 'boolean', description: 'Whether repeating it is harmless. Default false.' },
          with: { type: 'object', description: 'JSON Schema of the step `with` this operation accepts. Default: any object.' },
        },
      },
    },
    faults: {
      type: 'array',
      description: 'Failures to inject: the operation (on a VM or step) fails `times` times, then succeeds.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['operation'],
        properties: {
          operation: { type: 'string' },
          vm: { type: 'string' },
          step: { type: 'string' },
          times: { type: 'integer', minimum: 1, description: 'How many attempts fail. Default 1.' },
          error: { type: 'string', description: 'The error message.' },
        },
      },
    },
    replicationLag: { ...durationSchema, description: 'Replication lag `replicationHealth` reports. Default 2s.' },
    dataLossWindow: { ...durationSchema, description: 'Data lost by an unplanned failover from `latest`. Default 30s.' },
  },
};

const vmInput: JsonSchema = {
  type: 'object',
  properties: {
    vm: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
    recoveryPoint: { type: 'string' },
    network: { type: 'string' },
  },
};

/** Site operations every site adapter provides, with the estimates the simulator uses by default. */
export const SITE_OPERATION_DECLARATIONS: Record<SiteOperation, OperationDeclaration> = {
  replicationHealth: {
    description: 'Reports replication lag; fails when it exceeds `maxLag`.',
    with: { type: 'object', additionalProperties: false, properties: { maxLag: durationSchema, vm: { type: 'string' } } },
    output: { type: 'object', properties: { healthy: { type: 'boolean' }, lagSeconds: { type: 'number' }, lagBytes: { type: 'number' } } },
    idempotent: true,
    estimateMs: 5_000,
  },
  shutdown: {
    description: 'Shuts the VM down on the source site.',
    with: vmInput,
    output: { type: 'object', properties: { stopped: { type: 'boolean' } } },
    idempotent: true,
    estimateMs: 30_000,
  },
  sync: {
    description: 'Replicates the last changes and checks nothing is left to replicate.',
    with: vmInput,
    output: { type: 'object', properties: { pendingBytes: { type: 'number' } } },
    idempotent: true,
    estimateMs: 20_000,
  },
  failover: {
    description: 'Promotes the VM’s replica on the target site.',
    with: vmInput,
    output: {
      type: 'object',
      properties: { recoveryPoint: { type: 'string' }, dataLossWindowSeconds: { type: 'number' } },
    },
    idempotent: false,
    reconcilable: true,
    estimateMs: 60_000,
  },
  start: {
    description: 'Starts the failed-over VM on the target site.',
    with: vmInput,
    output: { type: 'object', properties: { running: { type: 'boolean' } } },
    idempotent: true,
    estimateMs: 30_000,
  },
  testFailover: {
    description: 'Creates a test copy of the VM in the isolated test network.',
    with: vmInput,
    output: { type: 'object', properties: { testVm: { type: 'string' }, network: { type: 'string' } } },
    idempotent: false,
    reconcilable: true,
    estimateMs: 60_000,
  },
  cleanupTest: {
    description: 'Deletes the VM’s test copy.',
    with: vmInput,
    output: { type: 'object', properties: { deleted: { type: 'boolean' } } },
    idempotent: true,
    estimateMs: 20_000,
  },
};

export const simulatorDeclaration: AdapterDeclaration<SimulatorConfig> = {
  type: 'simulator',
  description: 'Simulates a site and any declared vendor operations, in simulated time, with seeded durations and injected faults.',
  configSchema: simulatorConfigSchema,
  operations(config) {
    const operations: Record<string, OperationDeclaration> = { ...SITE_OPERATION_DECLARATIONS };
    for (const [name, op] of Object.entries(config.operations ?? {})) {
      const site = (SITE_OPERATION_DECLARATIONS as Record<string, OperationDeclaration | undefined>)[name];
      const estimateMs = op.estimate === undefined ? site?.estimateMs : parseDuration(op.estimate);
      operations[name] = {
        description: op.description ?? site?.description ?? `Simulated operation ${name}.`,
        with: op.with ?? site?.with ?? { type: 'object' },
        output: op.output ? outputSchemaOf(op.output, site?.output) : site?.output ?? { type: 'object' },
        idempotent: op.idempotent ?? site?.idempotent ?? false,
        reconcilable: site?.reconcilable ?? true,
        ...(estimateMs === undefined ? {} : { estimateMs }),
      };
    }
    return operations;
  },
};

/** The output schema of a declared literal output: its keys are the known output fields. */
function outputSchemaOf(output: JsonObject, site: JsonSchema | undefined): JsonSchema {
  // A site operation keeps the keys it always returns; configured keys are added on top.
  const siteProperties = (site?.properties ?? {}) as Record<string, unknown>;
  return { type: 'object', properties: { ...siteProperties, ...Object.fromEntries(Object.keys(output).map((k) => [k, {}])) } };
}
