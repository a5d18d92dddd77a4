/* Generated from schemas/plan.schema.json by scripts/gen-types.js. Do not edit: run `npm run gen`. */

/**
 * A duration such as `90s`, `30m`, `2h`, `1h30m`, `1d` or `500ms`.
 */
export type Duration = string;
/**
 * A principal's name; their public key is `<principal>.pub` in `approverKeys`.
 */
export type Principal = string;
/**
 * Steps run before anything changes. In `unplanned` mode they tolerate an unreachable source: a failed precheck is reported and the run goes on, unless the step sets `onFailure` itself.
 */
export type Steps = Step[];
/**
 * An id: letters, digits, underscores and hyphens (no dots or slashes, which drplan uses to build step ids).
 */
export type Id = string;
/**
 * A protected VM, by name or as an object with attributes.
 */
export type Vm =
  | VmName
  | {
      name: VmName;
      /**
       * An attribute available to templates as `{{vm.<attr>}}`.
       */
      [k: string]: string | number | boolean;
    };
/**
 * A VM name: letters, digits, dots, underscores and hyphens.
 */
export type VmName = string;
/**
 * Steps run before the group's VM operations.
 */
export type Steps1 = Step[];
/**
 * Steps run after the group's VM operations.
 */
export type Steps2 = Step[];
/**
 * Steps run after every group has recovered: DNS, load balancers, announcements.
 */
export type Steps3 = Step[];
/**
 * Test mode only: steps run after each VM's `cleanupTest`, according to `modes.test.cleanup`.
 */
export type Steps4 = Step[];
/**
 * Steps run once when a run ends failed or cancelled.
 */
export type Steps5 = Step[];

/**
 * A disaster-recovery plan: the protected VMs in ordered groups, the steps around them, the approvers who sign off gates, and the objectives the run is measured against. One plan per YAML file.
 */
export interface DrplanRecoveryPlan {
  /**
   * Version of the plan language. Always `drplan/v1` for now.
   */
  apiVersion: 'drplan/v1';
  /**
   * What this document is. Always `RecoveryPlan`.
   */
  kind: 'RecoveryPlan';
  metadata: Metadata;
  spec: Spec;
}
/**
 * Who the plan belongs to and how to find it.
 */
export interface Metadata {
  /**
   * The plan's name: a lowercase DNS label (letters, digits and hyphens, at most 63 characters). Runs and reports are filed under it.
   */
  name: string;
  /**
   * One or two sentences on what the plan recovers and where to.
   */
  description?: string;
  /**
   * Teams or people responsible for keeping the plan correct.
   */
  owners?: string[];
  /**
   * Free-form string labels, for filtering and reports.
   */
  labels?: {
    [k: string]: string;
  };
}
/**
 * What the plan protects and how each failover mode recovers it.
 */
export interface Spec {
  objectives?: Objectives;
  /**
   * Named adapter instances. Steps call them as `<instance>.<operation>`; `sites` names the ones that own the protected VMs.
   */
  adapters: {
    [k: string]: AdapterInstance;
  };
  sites: Sites;
  /**
   * Values the plan takes at run time (`--param name=value`), available to templates as `{{params.<name>}}`.
   */
  parameters?: {
    [k: string]: Parameter;
  };
  /**
   * Named groups of principals. Gates and manual steps name these groups (or principals directly); each principal signs with their own key.
   */
  approvers?: {
    /**
     * The principals in this group.
     *
     * @minItems 1
     */
    [k: string]: [Principal, ...Principal[]];
  };
  /**
   * Folder holding each principal's public key as `<principal>.pub`, relative to the plan file. Default: `approvers/` next to the plan.
   */
  approverKeys?: string;
  notifications?: Notifications;
  modes?: Modes;
  prechecks?: Steps;
  /**
   * Ordered groups of protected VMs. Each group depends on the one before it unless it names `dependsOn`.
   *
   * @minItems 1
   */
  groups: [Group, ...Group[]];
  finalize?: Steps3;
  cleanup?: Steps4;
  onFailure?: Steps5;
}
/**
 * Recovery objectives the run is measured against. `drplan plan` checks the critical path against `rto`; reports show what was achieved.
 */
export interface Objectives {
  /**
   * Recovery time objective: the longest the recovery may take.
   */
  rto?: string;
  /**
   * Recovery point objective: the most recent data the business accepts to lose.
   */
  rpo?: string;
}
/**
 * One named adapter instance: its type and the configuration that type declares.
 */
export interface AdapterInstance {
  /**
   * The adapter type: `simulator`, `shell`, or any type an installed adapter registers.
   */
  type: string;
  /**
   * What this instance talks to.
   */
  description?: string;
  /**
   * Configuration for the adapter type, checked against the schema that type declares.
   */
  config?: {};
  /**
   * Expected duration of each operation of this instance, used for the critical path and RTO check, and by the simulator when a dry-run stands in for this instance.
   */
  estimates?: {
    [k: string]: Duration;
  };
}
/**
 * The adapter instances that own the protected VMs: `source` is shut down and synced in planned mode; `target` fails over, starts, and runs test failovers.
 */
export interface Sites {
  /**
   * Adapter instance of the site being left.
   */
  source: string;
  /**
   * Adapter instance of the site being recovered to.
   */
  target: string;
}
/**
 * A run-time parameter.
 */
export interface Parameter {
  /**
   * The parameter's type; `--param` values are converted to it.
   */
  type: 'string' | 'number' | 'integer' | 'boolean';
  /**
   * What the parameter is for.
   */
  description?: string;
  /**
   * Value used when the run does not set the parameter. Without a default the parameter is required.
   */
  default?: string | number | boolean;
  /**
   * The only values allowed.
   *
   * @minItems 1
   */
  enum?: [string | number | boolean, ...(string | number | boolean)[]];
}
/**
 * Where to announce that a gate or manual step is waiting.
 */
export interface Notifications {
  /**
   * An HTTP endpoint called (POST, JSON) when a gate or manual step starts waiting.
   */
  webhook?: {
    /**
     * The endpoint (http or https). It receives a JSON body: the run, the step, its rendered instructions, who may act, the deadline and the approval link.
     */
    url: string;
    /**
     * Extra headers. Values of the form `env:NAME` are read from the environment at run time, so secrets stay out of the plan.
     */
    headers?: {
      [k: string]: string;
    };
    /**
     * A duration such as `90s`, `30m`, `2h`, `1h30m`, `1d` or `500ms`.
     */
    timeout?: string;
  };
  /**
   * Base URL of `drplan serve` as approvers reach it; the approval link is built from it.
   */
  approvalUrl?: string;
}
/**
 * The failover modes this plan supports and their settings. A mode not declared here cannot be run.
 */
export interface Modes {
  /**
   * Planned failover (planned migration, 'apply target queue'): shut the source down, sync the last changes, then fail over with no data loss.
   */
  planned?: {};
  /**
   * Unplanned failover (forced failover, disaster recovery, 'discard target queue'): the source is gone; recover from a recovery point and record the data lost.
   */
  unplanned?: {
    /**
     * Which recovery point to fail over from: `latest`, `latest-app-consistent`, or a recovery point id or ISO-8601 time.
     */
    recoveryPoint?: string;
  };
  /**
   * Test failover (drill): recover copies into an isolated network without touching production or its replication, then clean up.
   */
  test?: {
    /**
     * The isolated network test copies are attached to.
     */
    network?: string;
    /**
     * When to clean up: `always` (even after a failure or cancel), `on-success`, or `manual` (leave the copies for inspection).
     */
    cleanup?: 'always' | 'on-success' | 'manual';
  };
}
/**
 * One step. Exactly one of `action`, `run`, `gate` or `manual` says what it does.
 */
export interface Step {
  /**
   * Unique in the plan. Generated from the step's position when omitted, but an explicit id survives edits and is what operators type.
   */
  id?: string;
  /**
   * A human-readable name.
   */
  name?: string;
  /**
   * Why the step exists.
   */
  description?: string;
  /**
   * Calls an adapter operation: `<instance>.<operation>`.
   */
  action?: string;
  /**
   * Input of the action, checked against the schema its operation declares. Strings may use templates.
   */
  with?: {};
  /**
   * Runs a local command through the shell adapter: an argv list (never re-parsed by a shell) or a script with arguments. Each element may use templates.
   */
  run?:
    | [string, ...string[]]
    | {
        /**
         * Path of the script, relative to the plan file.
         */
        script: string;
        /**
         * Arguments, each passed as one argv element.
         */
        args?: string[];
      };
  gate?: Gate;
  manual?: Manual;
  /**
   * The modes this step runs in. Default: all. `drplan plan` shows it as skipped in the others.
   *
   * @minItems 1
   */
  modes?: ['planned' | 'unplanned' | 'test', ...('planned' | 'unplanned' | 'test')[]];
  /**
   * A duration such as `90s`, `30m`, `2h`, `1h30m`, `1d` or `500ms`.
   */
  timeout?: string;
  retry?: Retry;
  /**
   * What a failure does after the retries are spent: `abort` the run (default), `continue` with the next step, or `pause` for an operator to retry, skip or abort.
   */
  onFailure?: 'abort' | 'continue' | 'pause';
  /**
   * Expected duration, used for the critical path and RTO check, by the simulator, and to start the longest work first. In a `forEach: vm` step it may be a template of VM attributes, worked out per VM before the run (`"{{vm.restoreTime}}"`), so that each VM's copy has its own estimate.
   */
  estimate?: Duration;
  /**
   * `vm`: in a group, run the step once per VM of the group (as `<step-id>/<vm>`), at most the group's `concurrency` at once.
   */
  forEach?: 'vm';
}
/**
 * Pauses the run until a quorum of distinct authorised principals approves. Any rejection fails the gate.
 */
export interface Gate {
  /**
   * Approver groups (from `spec.approvers`) or principals who may sign off.
   *
   * @minItems 1
   */
  approvers: [string, ...string[]];
  /**
   * How many distinct principals must approve. Default: 1.
   */
  quorum?: number;
  /**
   * A duration such as `90s`, `30m`, `2h`, `1h30m`, `1d` or `500ms`.
   */
  timeout?: string;
  /**
   * What happens when the timeout passes: `fail` (default), `approve` (an explicit opt-in, recorded as approved by timeout), or `escalate` to other approvers.
   */
  onTimeout?:
    | ('fail' | 'approve')
    | {
        /**
         * Ask other approvers, with their own quorum and timeout; their timeout fails the gate.
         */
        escalate: {
          /**
           * Approver groups or principals escalated to.
           *
           * @minItems 1
           */
          approvers: [string, ...string[]];
          /**
           * Approvals needed from them. Default: 1.
           */
          quorum?: number;
          /**
           * A duration such as `90s`, `30m`, `2h`, `1h30m`, `1d` or `500ms`.
           */
          timeout?: string;
        };
      };
  /**
   * What the approvers must check before deciding. May use templates.
   */
  instructions?: string;
  /**
   * Whether the principal who started the run may approve it. Default: false.
   */
  allowInitiator?: boolean;
}
/**
 * A task done by hand; the run waits until one assignee marks it done.
 */
export interface Manual {
  /**
   * What to do, precisely enough to do it under stress. May use templates.
   */
  instructions: string;
  /**
   * Approver groups or principals who may mark the task done. Default: anyone with a key in the plan.
   *
   * @minItems 1
   */
  assignees?: [string, ...string[]];
  /**
   * A duration such as `90s`, `30m`, `2h`, `1h30m`, `1d` or `500ms`.
   */
  timeout?: string;
}
/**
 * Retry policy for failed attempts: wait `backoff`, then `backoff × factor`, … up to `attempts` attempts in all.
 */
export interface Retry {
  /**
   * Attempts in all, the first included.
   */
  attempts: number;
  /**
   * A duration such as `90s`, `30m`, `2h`, `1h30m`, `1d` or `500ms`.
   */
  backoff?: string;
  /**
   * Multiplier applied to the wait after each failed attempt. Default: 1.
   */
  factor?: number;
  /**
   * A duration such as `90s`, `30m`, `2h`, `1h30m`, `1d` or `500ms`.
   */
  maxBackoff?: string;
}
/**
 * A group of VMs that fail over together: its `pre` steps, then the mode's operations on every VM (at most `concurrency` at once), then its `post` steps.
 */
export interface Group {
  /**
   * The group's id, unique in the plan.
   */
  id: string;
  /**
   * A human-readable name.
   */
  name?: string;
  /**
   * What the group holds.
   */
  description?: string;
  /**
   * Groups that must finish before this one starts. Without it a group depends on the group before it; with it, independent groups fail over at the same time.
   */
  dependsOn?: Id[];
  /**
   * The protected VMs: names, or objects with a `name` and any attributes templates may use as `{{vm.<attr>}}`.
   */
  vms?: Vm[];
  /**
   * How many VM operations of this group run at once. Default: all of them.
   */
  concurrency?: number;
  pre?: Steps1;
  post?: Steps2;
}
