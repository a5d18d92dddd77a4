// @ts-nocheck
/* Generated from schemas/plan.schema.json by scripts/gen-schema-validator.js. Do not edit: run `node scripts/gen-schema-validator.js`. */
import type { ErrorObject } from 'ajv';
import ajvRuntime_ucs2length_module from 'ajv/dist/runtime/ucs2length.js';
const ajvRuntime_ucs2length = { default: typeof ajvRuntime_ucs2length_module === 'function' ? ajvRuntime_ucs2length_module : ajvRuntime_ucs2length_module.default };
import ajvRuntime_equal_module from 'ajv/dist/runtime/equal.js';
const ajvRuntime_equal = { default: typeof ajvRuntime_equal_module === 'function' ? ajvRuntime_equal_module : ajvRuntime_equal_module.default };
function appendErrors(target, more) {
  for (let i = 0; i < more.length; i++) target.push(more[i]);
  return target;
}
export const validatePlan = validate20;
const schema31 = {"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"https://drplan.dev/schemas/plan.schema.json","title":"drplan RecoveryPlan","description":"A disaster-recovery plan: the protected VMs in ordered groups, the steps around them, the approvers who sign off gates, and the objectives the run is measured against. One plan per YAML file.","type":"object","additionalProperties":false,"required":["apiVersion","kind","metadata","spec"],"properties":{"apiVersion":{"description":"Version of the plan language. Always `drplan/v1` for now.","const":"drplan/v1","examples":["drplan/v1"]},"kind":{"description":"What this document is. Always `RecoveryPlan`.","const":"RecoveryPlan","examples":["RecoveryPlan"]},"metadata":{"$ref":"#/$defs/metadata"},"spec":{"$ref":"#/$defs/spec"}},"$defs":{"metadata":{"description":"Who the plan belongs to and how to find it.","type":"object","additionalProperties":false,"required":["name"],"properties":{"name":{"description":"The plan's name: a lowercase DNS label (letters, digits and hyphens, at most 63 characters). Runs and reports are filed under it.","type":"string","minLength":1,"maxLength":63,"pattern":"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$","examples":["payments-eu"]},"description":{"description":"One or two sentences on what the plan recovers and where to.","type":"string","examples":["Fail payments over from Amsterdam to Dublin"]},"owners":{"description":"Teams or people responsible for keeping the plan correct.","type":"array","items":{"type":"string","minLength":1},"examples":[["team-payments"]]},"labels":{"description":"Free-form string labels, for filtering and reports.","type":"object","additionalProperties":{"type":"string"},"examples":[{"tier":"1"}]}}},"spec":{"description":"What the plan protects and how each failover mode recovers it.","type":"object","additionalProperties":false,"required":["adapters","sites","groups"],"properties":{"objectives":{"$ref":"#/$defs/objectives"},"adapters":{"description":"Named adapter instances. Steps call them as `<instance>.<operation>`; `sites` names the ones that own the protected VMs.","type":"object","propertyNames":{"$ref":"#/$defs/name"},"minProperties":1,"additionalProperties":{"$ref":"#/$defs/adapterInstance"},"examples":[{"site":{"type":"simulator","config":{"seed":7}},"sh":{"type":"shell"}}]},"sites":{"$ref":"#/$defs/sites"},"parameters":{"description":"Values the plan takes at run time (`--param name=value`), available to templates as `{{params.<name>}}`.","type":"object","propertyNames":{"$ref":"#/$defs/identifier"},"additionalProperties":{"$ref":"#/$defs/parameter"},"examples":[{"dnsName":{"type":"string","default":"pay.example.com"}}]},"approvers":{"description":"Named groups of principals. Gates and manual steps name these groups (or principals directly); each principal signs with their own key.","type":"object","propertyNames":{"$ref":"#/$defs/name"},"additionalProperties":{"description":"The principals in this group.","type":"array","minItems":1,"items":{"$ref":"#/$defs/principal"}},"examples":[{"dba":["alice","bob"],"change-board":["carol","dave","erin"]}]},"approverKeys":{"description":"Folder holding each principal's public key as `<principal>.pub`, relative to the plan file. Default: `approvers/` next to the plan.","type":"string","minLength":1,"examples":["approvers/"]},"notifications":{"$ref":"#/$defs/notifications"},"modes":{"$ref":"#/$defs/modes"},"prechecks":{"description":"Steps run before anything changes. In `unplanned` mode they tolerate an unreachable source: a failed precheck is reported and the run goes on, unless the step sets `onFailure` itself.","$ref":"#/$defs/steps"},"groups":{"description":"Ordered groups of protected VMs. Each group depends on the one before it unless it names `dependsOn`.","type":"array","minItems":1,"items":{"$ref":"#/$defs/group"}},"finalize":{"description":"Steps run after every group has recovered: DNS, load balancers, announcements.","$ref":"#/$defs/steps"},"cleanup":{"description":"Test mode only: steps run after each VM's `cleanupTest`, according to `modes.test.cleanup`.","$ref":"#/$defs/steps"},"onFailure":{"description":"Steps run once when a run ends failed or cancelled.","$ref":"#/$defs/steps"}}},"objectives":{"description":"Recovery objectives the run is measured against. `drplan plan` checks the critical path against `rto`; reports show what was achieved.","type":"object","additionalProperties":false,"properties":{"rto":{"description":"Recovery time objective: the longest the recovery may take.","$ref":"#/$defs/duration"},"rpo":{"description":"Recovery point objective: the most recent data the business accepts to lose.","$ref":"#/$defs/duration"}},"examples":[{"rto":"30m","rpo":"5m"}]},"adapterInstance":{"description":"One named adapter instance: its type and the configuration that type declares.","type":"object","additionalProperties":false,"required":["type"],"properties":{"type":{"description":"The adapter type: `simulator`, `shell`, or any type an installed adapter registers.","type":"string","minLength":1,"examples":["simulator","shell"]},"description":{"description":"What this instance talks to.","type":"string"},"config":{"description":"Configuration for the adapter type, checked against the schema that type declares.","type":"object","examples":[{"seed":7,"operations":{"setAlias":{"estimate":"30s"}}}]},"estimates":{"description":"Expected duration of each operation of this instance, used for the critical path and RTO check, and by the simulator when a dry-run stands in for this instance.","type":"object","additionalProperties":{"$ref":"#/$defs/duration"},"examples":[{"failover":"2m","start":"45s"}]}}},"sites":{"description":"The adapter instances that own the protected VMs: `source` is shut down and synced in planned mode; `target` fails over, starts, and runs test failovers.","type":"object","additionalProperties":false,"required":["source","target"],"properties":{"source":{"description":"Adapter instance of the site being left.","$ref":"#/$defs/name"},"target":{"description":"Adapter instance of the site being recovered to.","$ref":"#/$defs/name"}},"examples":[{"source":"site","target":"site"}]},"parameter":{"description":"A run-time parameter.","type":"object","additionalProperties":false,"required":["type"],"properties":{"type":{"description":"The parameter's type; `--param` values are converted to it.","enum":["string","number","integer","boolean"]},"description":{"description":"What the parameter is for.","type":"string"},"default":{"description":"Value used when the run does not set the parameter. Without a default the parameter is required.","type":["string","number","boolean"]},"enum":{"description":"The only values allowed.","type":"array","minItems":1,"items":{"type":["string","number","boolean"]}}},"examples":[{"type":"string","default":"pay.example.com"}]},"notifications":{"description":"Where to announce that a gate or manual step is waiting.","type":"object","additionalProperties":false,"properties":{"webhook":{"description":"An HTTP endpoint called (POST, JSON) when a gate or manual step starts waiting.","type":"object","additionalProperties":false,"required":["url"],"properties":{"url":{"description":"The endpoint (http or https). It receives a JSON body: the run, the step, its rendered instructions, who may act, the deadline and the approval link.","type":"string","minLength":1},"headers":{"description":"Extra headers. Values of the form `env:NAME` are read from the environment at run time, so secrets stay out of the plan.","type":"object","additionalProperties":{"type":"string"}},"timeout":{"description":"How long one call may take.","$ref":"#/$defs/duration"}}},"approvalUrl":{"description":"Base URL of `drplan serve` as approvers reach it; the approval link is built from it.","type":"string","examples":["https://drplan.internal.example.com"]}}},"modes":{"description":"The failover modes this plan supports and their settings. A mode not declared here cannot be run.","type":"object","additionalProperties":false,"minProperties":1,"properties":{"planned":{"description":"Planned failover (planned migration, 'apply target queue'): shut the source down, sync the last changes, then fail over with no data loss.","type":"object","additionalProperties":false,"properties":{}},"unplanned":{"description":"Unplanned failover (forced failover, disaster recovery, 'discard target queue'): the source is gone; recover from a recovery point and record the data lost.","type":"object","additionalProperties":false,"properties":{"recoveryPoint":{"description":"Which recovery point to fail over from: `latest`, `latest-app-consistent`, or a recovery point id or ISO-8601 time.","type":"string","minLength":1,"default":"latest","examples":["latest","latest-app-consistent","2026-11-23T08:00:00Z"]}}},"test":{"description":"Test failover (drill): recover copies into an isolated network without touching production or its replication, then clean up.","type":"object","additionalProperties":false,"properties":{"network":{"description":"The isolated network test copies are attached to.","type":"string","minLength":1,"examples":["drill-net"]},"cleanup":{"description":"When to clean up: `always` (even after a failure or cancel), `on-success`, or `manual` (leave the copies for inspection).","enum":["always","on-success","manual"],"default":"always"}}}},"examples":[{"planned":{},"unplanned":{"recoveryPoint":"latest"},"test":{"network":"drill-net","cleanup":"always"}}]},"group":{"description":"A group of VMs that fail over together: its `pre` steps, then the mode's operations on every VM (at most `concurrency` at once), then its `post` steps.","type":"object","additionalProperties":false,"required":["id"],"properties":{"id":{"description":"The group's id, unique in the plan.","$ref":"#/$defs/id"},"name":{"description":"A human-readable name.","type":"string"},"description":{"description":"What the group holds.","type":"string"},"dependsOn":{"description":"Groups that must finish before this one starts. Without it a group depends on the group before it; with it, independent groups fail over at the same time.","type":"array","items":{"$ref":"#/$defs/id"},"uniqueItems":true,"examples":[["database"]]},"vms":{"description":"The protected VMs: names, or objects with a `name` and any attributes templates may use as `{{vm.<attr>}}`.","type":"array","items":{"$ref":"#/$defs/vm"},"examples":[["pg-1","pg-2"],[{"name":"app-1","ip":"10.0.0.11"}]]},"concurrency":{"description":"How many VM operations of this group run at once. Default: all of them.","type":"integer","minimum":1,"examples":[2]},"pre":{"description":"Steps run before the group's VM operations.","$ref":"#/$defs/steps"},"post":{"description":"Steps run after the group's VM operations.","$ref":"#/$defs/steps"}}},"vm":{"description":"A protected VM, by name or as an object with attributes.","anyOf":[{"$ref":"#/$defs/vmName"},{"type":"object","required":["name"],"properties":{"name":{"$ref":"#/$defs/vmName"}},"additionalProperties":{"description":"An attribute available to templates as `{{vm.<attr>}}`.","type":["string","number","boolean"]}}]},"vmName":{"description":"A VM name: letters, digits, dots, underscores and hyphens.","type":"string","minLength":1,"maxLength":253,"pattern":"^[A-Za-z0-9][A-Za-z0-9._-]*$","examples":["pg-1","app-1.prod.example.com"]},"steps":{"type":"array","items":{"$ref":"#/$defs/step"}},"step":{"description":"One step. Exactly one of `action`, `run`, `gate` or `manual` says what it does.","type":"object","additionalProperties":false,"properties":{"id":{"description":"Unique in the plan. Generated from the step's position when omitted, but an explicit id survives edits and is what operators type.","$ref":"#/$defs/id"},"name":{"description":"A human-readable name.","type":"string"},"description":{"description":"Why the step exists.","type":"string"},"action":{"description":"Calls an adapter operation: `<instance>.<operation>`.","type":"string","pattern":"^[A-Za-z][A-Za-z0-9_-]*\\.[A-Za-z][A-Za-z0-9_]*$","examples":["site.replicationHealth","dns.setAlias"]},"with":{"description":"Input of the action, checked against the schema its operation declares. Strings may use templates.","type":"object","examples":[{"name":"{{params.dnsName}}","site":"recovery"}]},"run":{"description":"Runs a local command through the shell adapter: an argv list (never re-parsed by a shell) or a script with arguments. Each element may use templates.","anyOf":[{"type":"array","minItems":1,"items":{"type":"string"}},{"type":"object","additionalProperties":false,"required":["script"],"properties":{"script":{"description":"Path of the script, relative to the plan file.","type":"string","minLength":1},"args":{"description":"Arguments, each passed as one argv element.","type":"array","items":{"type":"string"}}}}],"examples":[["./scripts/smoke.sh","{{group.id}}"],{"script":"scripts/flush.sh","args":["--all"]}]},"gate":{"$ref":"#/$defs/gate"},"manual":{"$ref":"#/$defs/manual"},"modes":{"description":"The modes this step runs in. Default: all. `drplan plan` shows it as skipped in the others.","type":"array","minItems":1,"uniqueItems":true,"items":{"enum":["planned","unplanned","test"]},"examples":[["planned","unplanned"]]},"timeout":{"description":"How long one attempt may take before it is aborted and counts as failed.","$ref":"#/$defs/duration"},"retry":{"$ref":"#/$defs/retry"},"onFailure":{"description":"What a failure does after the retries are spent: `abort` the run (default), `continue` with the next step, or `pause` for an operator to retry, skip or abort.","enum":["abort","continue","pause"],"default":"abort"},"estimate":{"description":"Expected duration, used for the critical path and RTO check, by the simulator, and to start the longest work first. In a `forEach: vm` step it may be a template of VM attributes, worked out per VM before the run (`\"{{vm.restoreTime}}\"`), so that each VM's copy has its own estimate.","anyOf":[{"$ref":"#/$defs/duration"},{"description":"A template of VM attributes that gives a duration for each VM.","type":"string","pattern":"\\{\\{"}],"examples":["2m","{{vm.restoreTime}}"]},"forEach":{"description":"`vm`: in a group, run the step once per VM of the group (as `<step-id>/<vm>`), at most the group's `concurrency` at once.","const":"vm"}}},"retry":{"description":"Retry policy for failed attempts: wait `backoff`, then `backoff × factor`, … up to `attempts` attempts in all.","type":"object","additionalProperties":false,"required":["attempts"],"properties":{"attempts":{"description":"Attempts in all, the first included.","type":"integer","minimum":1,"maximum":100},"backoff":{"description":"Wait before the second attempt. Default: 0s.","$ref":"#/$defs/duration"},"factor":{"description":"Multiplier applied to the wait after each failed attempt. Default: 1.","type":"number","minimum":1,"maximum":10},"maxBackoff":{"description":"Upper bound of one wait.","$ref":"#/$defs/duration"}},"examples":[{"attempts":3,"backoff":"10s","factor":2}]},"gate":{"description":"Pauses the run until a quorum of distinct authorised principals approves. Any rejection fails the gate.","type":"object","additionalProperties":false,"required":["approvers"],"properties":{"approvers":{"description":"Approver groups (from `spec.approvers`) or principals who may sign off.","type":"array","minItems":1,"uniqueItems":true,"items":{"type":"string","minLength":1},"examples":[["dba"]]},"quorum":{"description":"How many distinct principals must approve. Default: 1.","type":"integer","minimum":1,"default":1},"timeout":{"description":"How long the gate waits for a decision.","$ref":"#/$defs/duration"},"onTimeout":{"description":"What happens when the timeout passes: `fail` (default), `approve` (an explicit opt-in, recorded as approved by timeout), or `escalate` to other approvers.","anyOf":[{"enum":["fail","approve"]},{"type":"object","additionalProperties":false,"required":["escalate"],"properties":{"escalate":{"description":"Ask other approvers, with their own quorum and timeout; their timeout fails the gate.","type":"object","additionalProperties":false,"required":["approvers"],"properties":{"approvers":{"description":"Approver groups or principals escalated to.","type":"array","minItems":1,"uniqueItems":true,"items":{"type":"string","minLength":1}},"quorum":{"description":"Approvals needed from them. Default: 1.","type":"integer","minimum":1},"timeout":{"description":"How long to wait for them.","$ref":"#/$defs/duration"}}}}}],"default":"fail","examples":["fail",{"escalate":{"approvers":["change-board"],"quorum":1,"timeout":"15m"}}]},"instructions":{"description":"What the approvers must check before deciding. May use templates.","type":"string"},"allowInitiator":{"description":"Whether the principal who started the run may approve it. Default: false.","type":"boolean","default":false}}},"manual":{"description":"A task done by hand; the run waits until one assignee marks it done.","type":"object","additionalProperties":false,"required":["instructions"],"properties":{"instructions":{"description":"What to do, precisely enough to do it under stress. May use templates.","type":"string","minLength":1},"assignees":{"description":"Approver groups or principals who may mark the task done. Default: anyone with a key in the plan.","type":"array","minItems":1,"uniqueItems":true,"items":{"type":"string","minLength":1}},"timeout":{"description":"How long to wait before the step fails.","$ref":"#/$defs/duration"}}},"duration":{"description":"A duration such as `90s`, `30m`, `2h`, `1h30m`, `1d` or `500ms`.","type":"string","pattern":"^(?=\\d)(\\d+d)?(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?$","examples":["90s","30m","1h30m"]},"id":{"description":"An id: letters, digits, underscores and hyphens (no dots or slashes, which drplan uses to build step ids).","type":"string","minLength":1,"maxLength":100,"pattern":"^[A-Za-z0-9][A-Za-z0-9_-]*$"},"name":{"type":"string","minLength":1,"maxLength":63,"pattern":"^[A-Za-z][A-Za-z0-9_-]*$"},"identifier":{"type":"string","pattern":"^[A-Za-z_][A-Za-z0-9_]*$"},"principal":{"description":"A principal's name; their public key is `<principal>.pub` in `approverKeys`.","type":"string","minLength":1,"maxLength":100,"pattern":"^[A-Za-z0-9][A-Za-z0-9._@-]*$"}}};
const schema32 = {"description":"Who the plan belongs to and how to find it.","type":"object","additionalProperties":false,"required":["name"],"properties":{"name":{"description":"The plan's name: a lowercase DNS label (letters, digits and hyphens, at most 63 characters). Runs and reports are filed under it.","type":"string","minLength":1,"maxLength":63,"pattern":"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$","examples":["payments-eu"]},"description":{"description":"One or two sentences on what the plan recovers and where to.","type":"string","examples":["Fail payments over from Amsterdam to Dublin"]},"owners":{"description":"Teams or people responsible for keeping the plan correct.","type":"array","items":{"type":"string","minLength":1},"examples":[["team-payments"]]},"labels":{"description":"Free-form string labels, for filtering and reports.","type":"object","additionalProperties":{"type":"string"},"examples":[{"tier":"1"}]}}};
const func1 = ajvRuntime_ucs2length.default;
const pattern4 = new RegExp("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", "u");
const schema33 = {"description":"What the plan protects and how each failover mode recovers it.","type":"object","additionalProperties":false,"required":["adapters","sites","groups"],"properties":{"objectives":{"$ref":"#/$defs/objectives"},"adapters":{"description":"Named adapter instances. Steps call them as `<instance>.<operation>`; `sites` names the ones that own the protected VMs.","type":"object","propertyNames":{"$ref":"#/$defs/name"},"minProperties":1,"additionalProperties":{"$ref":"#/$defs/adapterInstance"},"examples":[{"site":{"type":"simulator","config":{"seed":7}},"sh":{"type":"shell"}}]},"sites":{"$ref":"#/$defs/sites"},"parameters":{"description":"Values the plan takes at run time (`--param name=value`), available to templates as `{{params.<name>}}`.","type":"object","propertyNames":{"$ref":"#/$defs/identifier"},"additionalProperties":{"$ref":"#/$defs/parameter"},"examples":[{"dnsName":{"type":"string","default":"pay.example.com"}}]},"approvers":{"description":"Named groups of principals. Gates and manual steps name these groups (or principals directly); each principal signs with their own key.","type":"object","propertyNames":{"$ref":"#/$defs/name"},"additionalProperties":{"description":"The principals in this group.","type":"array","minItems":1,"items":{"$ref":"#/$defs/principal"}},"examples":[{"dba":["alice","bob"],"change-board":["carol","dave","erin"]}]},"approverKeys":{"description":"Folder holding each principal's public key as `<principal>.pub`, relative to the plan file. Default: `approvers/` next to the plan.","type":"string","minLength":1,"examples":["approvers/"]},"notifications":{"$ref":"#/$defs/notifications"},"modes":{"$ref":"#/$defs/modes"},"prechecks":{"description":"Steps run before anything changes. In `unplanned` mode they tolerate an unreachable source: a failed precheck is reported and the run goes on, unless the step sets `onFailure` itself.","$ref":"#/$defs/steps"},"groups":{"description":"Ordered groups of protected VMs. Each group depends on the one before it unless it names `dependsOn`.","type":"array","minItems":1,"items":{"$ref":"#/$defs/group"}},"finalize":{"description":"Steps run after every group has recovered: DNS, load balancers, announcements.","$ref":"#/$defs/steps"},"cleanup":{"description":"Test mode only: steps run after each VM's `cleanupTest`, according to `modes.test.cleanup`.","$ref":"#/$defs/steps"},"onFailure":{"description":"Steps run once when a run ends failed or cancelled.","$ref":"#/$defs/steps"}}};
const schema37 = {"type":"string","minLength":1,"maxLength":63,"pattern":"^[A-Za-z][A-Za-z0-9_-]*$"};
const schema43 = {"type":"string","pattern":"^[A-Za-z_][A-Za-z0-9_]*$"};
const schema44 = {"description":"A run-time parameter.","type":"object","additionalProperties":false,"required":["type"],"properties":{"type":{"description":"The parameter's type; `--param` values are converted to it.","enum":["string","number","integer","boolean"]},"description":{"description":"What the parameter is for.","type":"string"},"default":{"description":"Value used when the run does not set the parameter. Without a default the parameter is required.","type":["string","number","boolean"]},"enum":{"description":"The only values allowed.","type":"array","minItems":1,"items":{"type":["string","number","boolean"]}}},"examples":[{"type":"string","default":"pay.example.com"}]};
const schema46 = {"description":"A principal's name; their public key is `<principal>.pub` in `approverKeys`.","type":"string","minLength":1,"maxLength":100,"pattern":"^[A-Za-z0-9][A-Za-z0-9._@-]*$"};
const schema49 = {"description":"The failover modes this plan supports and their settings. A mode not declared here cannot be run.","type":"object","additionalProperties":false,"minProperties":1,"properties":{"planned":{"description":"Planned failover (planned migration, 'apply target queue'): shut the source down, sync the last changes, then fail over with no data loss.","type":"object","additionalProperties":false,"properties":{}},"unplanned":{"description":"Unplanned failover (forced failover, disaster recovery, 'discard target queue'): the source is gone; recover from a recovery point and record the data lost.","type":"object","additionalProperties":false,"properties":{"recoveryPoint":{"description":"Which recovery point to fail over from: `latest`, `latest-app-consistent`, or a recovery point id or ISO-8601 time.","type":"string","minLength":1,"default":"latest","examples":["latest","latest-app-consistent","2026-11-23T08:00:00Z"]}}},"test":{"description":"Test failover (drill): recover copies into an isolated network without touching production or its replication, then clean up.","type":"object","additionalProperties":false,"properties":{"network":{"description":"The isolated network test copies are attached to.","type":"string","minLength":1,"examples":["drill-net"]},"cleanup":{"description":"When to clean up: `always` (even after a failure or cancel), `on-success`, or `manual` (leave the copies for inspection).","enum":["always","on-success","manual"],"default":"always"}}}},"examples":[{"planned":{},"unplanned":{"recoveryPoint":"latest"},"test":{"network":"drill-net","cleanup":"always"}}]};
const func4 = Object.prototype.hasOwnProperty;
const schema34 = {"description":"Recovery objectives the run is measured against. `drplan plan` checks the critical path against `rto`; reports show what was achieved.","type":"object","additionalProperties":false,"properties":{"rto":{"description":"Recovery time objective: the longest the recovery may take.","$ref":"#/$defs/duration"},"rpo":{"description":"Recovery point objective: the most recent data the business accepts to lose.","$ref":"#/$defs/duration"}},"examples":[{"rto":"30m","rpo":"5m"}]};
const schema35 = {"description":"A duration such as `90s`, `30m`, `2h`, `1h30m`, `1d` or `500ms`.","type":"string","pattern":"^(?=\\d)(\\d+d)?(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?$","examples":["90s","30m","1h30m"]};
const pattern5 = new RegExp("^(?=\\d)(\\d+d)?(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?$", "u");

function validate22(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate22.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(data && typeof data == "object" && !Array.isArray(data)){
for(const key0 in data){
if(!((key0 === "rto") || (key0 === "rpo"))){
const err0 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema34,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
}
if(data.rto !== undefined){
let data0 = data.rto;
if(typeof data0 === "string"){
if(!pattern5.test(data0)){
const err1 = {instancePath:instancePath+"/rto",schemaPath:"#/$defs/duration/pattern",keyword:"pattern",params:{pattern: "^(?=\\d)(\\d+d)?(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?$"},message:"must match pattern \""+"^(?=\\d)(\\d+d)?(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?$"+"\"",schema:"^(?=\\d)(\\d+d)?(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?$",parentSchema:schema35,data:data0};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
else {
const err2 = {instancePath:instancePath+"/rto",schemaPath:"#/$defs/duration/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema35.type,parentSchema:schema35,data:data0};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
}
if(data.rpo !== undefined){
let data1 = data.rpo;
if(typeof data1 === "string"){
if(!pattern5.test(data1)){
const err3 = {instancePath:instancePath+"/rpo",schemaPath:"#/$defs/duration/pattern",keyword:"pattern",params:{pattern: "^(?=\\d)(\\d+d)?(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?$"},message:"must match pattern \""+"^(?=\\d)(\\d+d)?(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?$"+"\"",schema:"^(?=\\d)(\\d+d)?(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?$",parentSchema:schema35,data:data1};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
else {
const err4 = {instancePath:instancePath+"/rpo",schemaPath:"#/$defs/duration/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema35.type,parentSchema:schema35,data:data1};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
}
else {
const err5 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema34.type,parentSchema:schema34,data};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
validate22.errors = vErrors;
return errors === 0;
}
validate22.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};

const schema38 = {"description":"One named adapter instance: its type and the configuration that type declares.","type":"object","additionalProperties":false,"required":["type"],"properties":{"type":{"description":"The adapter type: `simulator`, `shell`, or any type an installed adapter registers.","type":"string","minLength":1,"examples":["simulator","shell"]},"description":{"description":"What this instance talks to.","type":"string"},"config":{"description":"Configuration for the adapter type, checked against the schema that type declares.","type":"object","examples":[{"seed":7,"operations":{"setAlias":{"estimate":"30s"}}}]},"estimates":{"description":"Expected duration of each operation of this instance, used for the critical path and RTO check, and by the simulator when a dry-run stands in for this instance.","type":"object","additionalProperties":{"$ref":"#/$defs/duration"},"examples":[{"failover":"2m","start":"45s"}]}}};

function validate24(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate24.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.type === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "type"},message:"must have required property '"+"type"+"'",schema:schema38.required,parentSchema:schema38,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
for(const key0 in data){
if(!((((key0 === "type") || (key0 === "description")) || (key0 === "config")) || (key0 === "estimates"))){
const err1 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema38,data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
if(data.type !== undefined){
let data0 = data.type;
if(typeof data0 === "string"){
if(func1(data0) < 1){
const err2 = {instancePath:instancePath+"/type",schemaPath:"#/properties/type/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema38.properties.type,data:data0};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
}
else {
const err3 = {instancePath:instancePath+"/type",schemaPath:"#/properties/type/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema38.properties.type.type,parentSchema:schema38.properties.type,data:data0};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
if(data.description !== undefined){
let data1 = data.description;
if(typeof data1 !== "string"){
const err4 = {instancePath:instancePath+"/description",schemaPath:"#/properties/description/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema38.properties.description.type,parentSchema:schema38.properties.description,data:data1};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
if(data.config !== undefined){
let data2 = data.config;
if(!(data2 && typeof data2 == "object" && !Array.isArray(data2))){
const err5 = {instancePath:instancePath+"/config",schemaPath:"#/properties/config/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema38.properties.config.type,parentSchema:schema38.properties.config,data:data2};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
if(data.estimates !== undefined){
let data3 = data.estimates;
if(data3 && typeof data3 == "object" && !Array.isArray(data3)){
for(const key1 in data3){
let data4 = data3[key1];
if(typeof data4 === "string"){
if(!pattern5.test(data4)){
const err6 = {instancePath:instancePath+"/estimates/" + key1.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/$defs/duration/pattern",keyword:"pattern",params:{pattern: "^(?=\\d)(\\d+d)?(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?$"},message:"must match pattern \""+"^(?=\\d)(\\d+d)?(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?$"+"\"",schema:"^(?=\\d)(\\d+d)?(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?$",parentSchema:schema35,data:data4};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
else {
const err7 = {instancePath:instancePath+"/estimates/" + key1.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/$defs/duration/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema35.type,parentSchema:schema35,data:data4};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
}
}
else {
const err8 = {instancePath:instancePath+"/estimates",schemaPath:"#/properties/estimates/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema38.properties.estimates.type,parentSchema:schema38.properties.estimates,data:data3};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
}
else {
const err9 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema38.type,parentSchema:schema38,data};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
validate24.errors = vErrors;
return errors === 0;
}
validate24.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};

const schema40 = {"description":"The adapter instances that own the protected VMs: `source` is shut down and synced in planned mode; `target` fails over, starts, and runs test failovers.","type":"object","additionalProperties":false,"required":["source","target"],"properties":{"source":{"description":"Adapter instance of the site being left.","$ref":"#/$defs/name"},"target":{"description":"Adapter instance of the site being recovered to.","$ref":"#/$defs/name"}},"examples":[{"source":"site","target":"site"}]};
const pattern7 = new RegExp("^[A-Za-z][A-Za-z0-9_-]*$", "u");

function validate26(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate26.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.source === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "source"},message:"must have required property '"+"source"+"'",schema:schema40.required,parentSchema:schema40,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
if(data.target === undefined){
const err1 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "target"},message:"must have required property '"+"target"+"'",schema:schema40.required,parentSchema:schema40,data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
for(const key0 in data){
if(!((key0 === "source") || (key0 === "target"))){
const err2 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema40,data};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
}
if(data.source !== undefined){
let data0 = data.source;
if(typeof data0 === "string"){
if(func1(data0) > 63){
const err3 = {instancePath:instancePath+"/source",schemaPath:"#/$defs/name/maxLength",keyword:"maxLength",params:{limit: 63},message:"must NOT have more than 63 characters",schema:63,parentSchema:schema37,data:data0};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
if(func1(data0) < 1){
const err4 = {instancePath:instancePath+"/source",schemaPath:"#/$defs/name/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema37,data:data0};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
if(!pattern7.test(data0)){
const err5 = {instancePath:instancePath+"/source",schemaPath:"#/$defs/name/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z][A-Za-z0-9_-]*$"},message:"must match pattern \""+"^[A-Za-z][A-Za-z0-9_-]*$"+"\"",schema:"^[A-Za-z][A-Za-z0-9_-]*$",parentSchema:schema37,data:data0};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
else {
const err6 = {instancePath:instancePath+"/source",schemaPath:"#/$defs/name/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema37.type,parentSchema:schema37,data:data0};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
if(data.target !== undefined){
let data1 = data.target;
if(typeof data1 === "string"){
if(func1(data1) > 63){
const err7 = {instancePath:instancePath+"/target",schemaPath:"#/$defs/name/maxLength",keyword:"maxLength",params:{limit: 63},message:"must NOT have more than 63 characters",schema:63,parentSchema:schema37,data:data1};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
if(func1(data1) < 1){
const err8 = {instancePath:instancePath+"/target",schemaPath:"#/$defs/name/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema37,data:data1};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
if(!pattern7.test(data1)){
const err9 = {instancePath:instancePath+"/target",schemaPath:"#/$defs/name/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z][A-Za-z0-9_-]*$"},message:"must match pattern \""+"^[A-Za-z][A-Za-z0-9_-]*$"+"\"",schema:"^[A-Za-z][A-Za-z0-9_-]*$",parentSchema:schema37,data:data1};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
}
else {
const err10 = {instancePath:instancePath+"/target",schemaPath:"#/$defs/name/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema37.type,parentSchema:schema37,data:data1};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
}
}
else {
const err11 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema40.type,parentSchema:schema40,data};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
validate26.errors = vErrors;
return errors === 0;
}
validate26.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};

const schema47 = {"description":"Where to announce that a gate or manual step is waiting.","type":"object","additionalProperties":false,"properties":{"webhook":{"description":"An HTTP endpoint called (POST, JSON) when a gate or manual step starts waiting.","type":"object","additionalProperties":false,"required":["url"],"properties":{"url":{"description":"The endpoint (http or https). It receives a JSON body: the run, the step, its rendered instructions, who may act, the deadline and the approval link.","type":"string","minLength":1},"headers":{"description":"Extra headers. Values of the form `env:NAME` are read from the environment at run time, so secrets stay out of the plan.","type":"object","additionalProperties":{"type":"string"}},"timeout":{"description":"How long one call may take.","$ref":"#/$defs/duration"}}},"approvalUrl":{"description":"Base URL of `drplan serve` as approvers reach it; the approval link is built from it.","type":"string","examples":["https://drplan.internal.example.com"]}}};

function validate28(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate28.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(data && typeof data == "object" && !Array.isArray(data)){
for(const key0 in data){
if(!((key0 === "webhook") || (key0 === "approvalUrl"))){
const err0 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema47,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
}
if(data.webhook !== undefined){
let data0 = data.webhook;
if(data0 && typeof data0 == "object" && !Array.isArray(data0)){
if(data0.url === undefined){
const err1 = {instancePath:instancePath+"/webhook",schemaPath:"#/properties/webhook/required",keyword:"required",params:{missingProperty: "url"},message:"must have required property '"+"url"+"'",schema:schema47.properties.webhook.required,parentSchema:schema47.properties.webhook,data:data0};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
for(const key1 in data0){
if(!(((key1 === "url") || (key1 === "headers")) || (key1 === "timeout"))){
const err2 = {instancePath:instancePath+"/webhook",schemaPath:"#/properties/webhook/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},message:"must NOT have additional properties",schema:false,parentSchema:schema47.properties.webhook,data:data0};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
}
if(data0.url !== undefined){
let data1 = data0.url;
if(typeof data1 === "string"){
if(func1(data1) < 1){
const err3 = {instancePath:instancePath+"/webhook/url",schemaPath:"#/properties/webhook/properties/url/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema47.properties.webhook.properties.url,data:data1};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
else {
const err4 = {instancePath:instancePath+"/webhook/url",schemaPath:"#/properties/webhook/properties/url/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema47.properties.webhook.properties.url.type,parentSchema:schema47.properties.webhook.properties.url,data:data1};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
if(data0.headers !== undefined){
let data2 = data0.headers;
if(data2 && typeof data2 == "object" && !Array.isArray(data2)){
for(const key2 in data2){
let data3 = data2[key2];
if(typeof data3 !== "string"){
const err5 = {instancePath:instancePath+"/webhook/headers/" + key2.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/properties/webhook/properties/headers/additionalProperties/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema47.properties.webhook.properties.headers.additionalProperties.type,parentSchema:schema47.properties.webhook.properties.headers.additionalProperties,data:data3};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
}
else {
const err6 = {instancePath:instancePath+"/webhook/headers",schemaPath:"#/properties/webhook/properties/headers/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema47.properties.webhook.properties.headers.type,parentSchema:schema47.properties.webhook.properties.headers,data:data2};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
if(data0.timeout !== undefined){
let data4 = data0.timeout;
if(typeof data4 === "string"){
if(!pattern5.test(data4)){
const err7 = {instancePath:instancePath+"/webhook/timeout",schemaPath:"#/$defs/duration/pattern",keyword:"pattern",params:{pattern: "^(?=\\d)(\\d+d)?(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?$"},message:"must match pattern \""+"^(?=\\d)(\\d+d)?(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?$"+"\"",schema:"^(?=\\d)(\\d+d)?(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?$",parentSchema:schema35,data:data4};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
}
else {
const err8 = {instancePath:instancePath+"/webhook/timeout",schemaPath:"#/$defs/duration/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema35.type,parentSchema:schema35,data:data4};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
}
else {
const err9 = {instancePath:instancePath+"/webhook",schemaPath:"#/properties/webhook/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema47.properties.webhook.type,parentSchema:schema47.properties.webhook,data:data0};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
}
if(data.approvalUrl !== undefined){
let data5 = data.approvalUrl;
if(typeof data5 !== "string"){
const err10 = {instancePath:instancePath+"/approvalUrl",schemaPath:"#/properties/approvalUrl/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema47.properties.approvalUrl.type,parentSchema:schema47.properties.approvalUrl,data:data5};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
}
}
else {
const err11 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema47.type,parentSchema:schema47,data};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
validate28.errors = vErrors;
return errors === 0;
}
validate28.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};

const schema50 = {"type":"array","items":{"$ref":"#/$defs/step"}};
const schema51 = {"description":"One step. Exactly one of `action`, `run`, `gate` or `manual` says what it does.","type":"object","additionalProperties":false,"properties":{"id":{"description":"Unique in the plan. Generated from the step's position when omitted, but an explicit id survives edits and is what operators type.","$ref":"#/$defs/id"},"name":{"description":"A human-readable name.","type":"string"},"description":{"description":"Why the step exists.","type":"string"},"action":{"description":"Calls an adapter operation: `<instance>.<operation>`.","type":"string","pattern":"^[A-Za-z][A-Za-z0-9_-]*\\.[A-Za-z][A-Za-z0-9_]*$","examples":["site.replicationHealth","dns.setAlias"]},"with":{"description":"Input of the action, checked against the schema its operation declares. Strings may use templates.","type":"object","examples":[{"name":"{{params.dnsName}}","site":"recovery"}]},"run":{"description":"Runs a local command through the shell adapter: an argv list (never re-parsed by a shell) or a script with arguments. Each element may use templates.","anyOf":[{"type":"array","minItems":1,"items":{"type":"string"}},{"type":"object","additionalProperties":false,"required":["script"],"properties":{"script":{"description":"Path of the script, relative to the plan file.","type":"string","minLength":1},"args":{"description":"Arguments, each passed as one argv element.","type":"array","items":{"type":"string"}}}}],"examples":[["./scripts/smoke.sh","{{group.id}}"],{"script":"scripts/flush.sh","args":["--all"]}]},"gate":{"$ref":"#/$defs/gate"},"manual":{"$ref":"#/$defs/manual"},"modes":{"description":"The modes this step runs in. Default: all. `drplan plan` shows it as skipped in the others.","type":"array","minItems":1,"uniqueItems":true,"items":{"enum":["planned","unplanned","test"]},"examples":[["planned","unplanned"]]},"timeout":{"description":"How long one attempt may take before it is aborted and counts as failed.","$ref":"#/$defs/duration"},"retry":{"$ref":"#/$defs/retry"},"onFailure":{"description":"What a failure does after the retries are spent: `abort` the run (default), `continue` with the next step, or `pause` for an operator to retry, skip or abort.","enum":["abort","continue","pause"],"default":"abort"},"estimate":{"description":"Expected duration, used for the critical path and RTO check, by the simulator, and to start the longest work first. In a `forEach: vm` step it may be a template of VM attributes, worked out per VM before the run (`\"{{vm.restoreTime}}\"`), so that each VM's copy has its own estimate.","anyOf":[{"$ref":"#/$defs/duration"},{"description":"A template of VM attributes that gives a duration for each VM.","type":"string","pattern":"\\{\\{"}],"examples":["2m","{{vm.restoreTime}}"]},"forEach":{"description":"`vm`: in a group, run the step once per VM of the group (as `<step-id>/<vm>`), at most the group's `concurrency` at once.","const":"vm"}}};
const schema52 = {"description":"An id: letters, digits, underscores and hyphens (no dots or slashes, which drplan uses to build step ids).","type":"string","minLength":1,"maxLength":100,"pattern":"^[A-Za-z0-9][A-Za-z0-9_-]*$"};
const func0 = ajvRuntime_equal.default;
const pattern15 = new RegExp("^[A-Za-z0-9][A-Za-z0-9_-]*$", "u");
const pattern16 = new RegExp("^[A-Za-z][A-Za-z0-9_-]*\\.[A-Za-z][A-Za-z0-9_]*$", "u");
const pattern24 = new RegExp("\\{\\{", "u");
const schema53 = {"description":"Pauses the run until a quorum of distinct authorised principals approves. Any rejection fails the gate.","type":"object","additionalProperties":false,"required":["approvers"],"properties":{"approvers":{"description":"Approver groups (from `spec.approvers`) or principals who may sign off.","type":"array","minItems":1,"uniqueItems":true,"items":{"type":"string","minLength":1},"examples":[["dba"]]},"quorum":{"description":"How many distinct principals must approve. Default: 1.","type":"integer","minimum":1,"default":1},"timeout":{"description":"How long the gate waits for a decision.","$ref":"#/$defs/duration"},"onTimeout":{"description":"What happens when the timeout passes: `fail` (default), `approve` (an explicit opt-in, recorded as approved by timeout), or `escalate` to other approvers.","anyOf":[{"enum":["fail","approve"]},{"type":"object","additionalProperties":false,"required":["escalate"],"properties":{"escalate":{"description":"Ask other approvers, with their own quorum and timeout; their timeout fails the gate.","type":"object","additionalProperties":false,"required":["approvers"],"properties":{"approvers":{"description":"Approver groups or principals escalated to.","type":"array","minItems":1,"uniqueItems":true,"items":{"type":"string","minLength":1}},"quorum":{"description":"Approvals needed from them. Default: 1.","type":"integer","minimum":1},"timeout":{"description":"How long to wait for them.","$ref":"#/$defs/duration"}}}}}],"default":"fail","examples":["fail",{"escalate":{"approvers":["change-board"],"quorum":1,"timeout":"15m"}}]},"instructions":{"description":"What the approvers must check before deciding. May use templates.","type":"string"},"allowInitiator":{"description":"Whether the principal who started the run may approve it. Default: false.","type":"boolean","default":false}}};

function validate32(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate32.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.approvers === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "approvers"},message:"must have required property '"+"approvers"+"'",schema:schema53.required,parentSchema:schema53,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
for(const key0 in data){
if(!((((((key0 === "approvers") || (key0 === "quorum")) || (key0 === "timeout")) || (key0 === "onTimeout")) || (key0 === "instructions")) || (key0 === "allowInitiator"))){
const err1 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema53,data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
if(data.approvers !== undefined){
let data0 = data.approvers;
if(Array.isArray(data0)){
if(data0.length < 1){
const err2 = {instancePath:instancePath+"/approvers",schemaPath:"#/properties/approvers/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items",schema:1,parentSchema:schema53.properties.approvers,data:data0};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
const len0 = data0.length;
for(let i0=0; i0<len0; i0++){
let data1 = data0[i0];
if(typeof data1 === "string"){
if(func1(data1) < 1){
const err3 = {instancePath:instancePath+"/approvers/" + i0,schemaPath:"#/properties/approvers/items/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema53.properties.approvers.items,data:data1};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
else {
const err4 = {instancePath:instancePath+"/approvers/" + i0,schemaPath:"#/properties/approvers/items/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema53.properties.approvers.items.type,parentSchema:schema53.properties.approvers.items,data:data1};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
let i1 = data0.length;
let j0;
if(i1 > 1){
const indices0 = {};
for(;i1--;){
let item0 = data0[i1];
if(typeof item0 !== "string"){
continue;
}
if(typeof indices0[item0] == "number"){
j0 = indices0[item0];
const err5 = {instancePath:instancePath+"/approvers",schemaPath:"#/properties/approvers/uniqueItems",keyword:"uniqueItems",params:{i: i1, j: j0},message:"must NOT have duplicate items (items ## "+j0+" and "+i1+" are identical)",schema:true,parentSchema:schema53.properties.approvers,data:data0};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
break;
}
indices0[item0] = i1;
}
}
}
else {
const err6 = {instancePath:instancePath+"/approvers",schemaPath:"#/properties/approvers/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema53.properties.approvers.type,parentSchema:schema53.properties.approvers,data:data0};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
if(data.quorum !== undefined){
let data2 = data.quorum;
if(!(((typeof data2 == "number") && (!(data2 % 1) && !isNaN(data2))) && (isFinite(data2)))){
const err7 = {instancePath:instancePath+"/quorum",schemaPath:"#/properties/quorum/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema53.properties.quorum.type,parentSchema:schema53.properties.quorum,data:data2};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
if((typeof data2 == "number") && (isFinite(data2))){
if(data2 < 1 || isNaN(data2)){
const err8 = {instancePath:instancePath+"/quorum",schemaPath:"#/properties/quorum/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema53.properties.quorum,data:data2};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
}
if(data.timeout !== undefined){
let data3 = data.timeout;
if(typeof data3 === "string"){
if(!pattern5.test(data3)){
const err9 = {instancePath:instancePath+"/timeout",schemaPath:"#/$defs/duration/pattern",keyword:"pattern",params:{pattern: "^(?=\\d)(\\d+d)?(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?$"},message:"must match pattern \""+"^(?=\\d)(\\d+d)?(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?$"+"\"",schema:"^(?=\\d)(\\d+d)?(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?$",parentSchema:schema35,data:data3};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
}
else {
const err10 = {instancePath:instancePath+"/timeout",schemaPath:"#/$defs/duration/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema35.type,parentSchema:schema35,data:data3};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
}
if(data.onTimeout !== undefined){
let data4 = data.onTimeout;
const _errs12 = errors;
let valid5 = false;
const _errs13 = errors;
if(!((data4 === "fail") || (data4 === "approve"))){
const err11 = {instancePath:instancePath+"/onTimeout",schemaPath:"#/properties/onTimeout/anyOf/0/enum",keyword:"enum",params:{allowedValues: schema53.properties.onTimeout.anyOf[0].enum},message:"must be equal to one of the allowed values",schema:schema53.properties.onTimeout.anyOf[0].enum,parentSchema:schema53.properties.onTimeout.anyOf[0],data:data4};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
var _valid0 = _errs13 === errors;
valid5 = valid5 || _valid0;
const _errs14 = errors;
if(data4 && typeof data4 == "object" && !Array.isArray(data4)){
if(data4.escalate === undefined){
const err12 = {instancePath:instancePath+"/onTimeout",schemaPath:"#/properties/onTimeout/anyOf/1/required",keyword:"required",params:{missingProperty: "escalate"},message:"must have required property '"+"escalate"+"'",schema:schema53.properties.onTimeout.anyOf[1].required,parentSchema:schema53.properties.onTimeout.anyOf[1],data:data4};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
for(const key1 in data4){
if(!(key1 === "escalate")){
const err13 = {instancePath:instancePath+"/onTimeout",schemaPath:"#/properties/onTimeout/anyOf/1/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},message:"must NOT have additional properties",schema:false,parentSchema:schema53.properties.onTimeout.anyOf[1],data:data4};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
}
if(data4.escalate !== undefined){
let data5 = data4.escalate;
if(data5 && typeof data5 == "object" && !Array.isArray(data5)){
if(data5.approvers === undefined){
const err14 = {instancePath:instancePath+"/onTimeout/escalate",schemaPath:"#/properties/onTimeout/anyOf/1/properties/escalate/required",keyword:"required",params:{missingProperty: "approvers"},message:"must have required property '"+"approvers"+"'",schema:schema53.properties.onTimeout.anyOf[1].properties.escalate.required,parentSchema:schema53.properties.onTimeout.anyOf[1].properties.escalate,data:data5};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
for(const key2 in data5){
if(!(((key2 === "approvers") || (key2 === "quorum")) || (key2 === "timeout"))){
const err15 = {instancePath:instancePath+"/onTimeout/escalate",schemaPath:"#/properties/onTimeout/anyOf/1/properties/escalate/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key2},message:"must NOT have additional properties",schema:false,parentSchema:schema53.properties.onTimeout.anyOf[1].properties.escalate,data:data5};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
}
if(data5.approvers !== undefined){
let data6 = data5.approvers;
if(Array.isArray(data6)){
if(data6.length < 1){
const err16 = {instancePath:instancePath+"/onTimeout/escalate/approvers",schemaPath:"#/properties/onTimeout/anyOf/1/properties/escalate/properties/approvers/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items",schema:1,parentSchema:schema53.properties.onTimeout.anyOf[1].properties.escalate.properties.approvers,data:data6};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
const len1 = data6.length;
for(let i2=0; i2<len1; i2++){
let data7 = data6[i2];
if(typeof data7 === "string"){
if(func1(data7) < 1){
const err17 = {instancePath:instancePath+"/onTimeout/escalate/approvers/" + i2,schemaPath:"#/properties/onTimeout/anyOf/1/properties/escalate/properties/approvers/items/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema53.properties.onTimeout.anyOf[1].properties.escalate.properties.approvers.items,data:data7};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
}
else {
const err18 = {instancePath:instancePath+"/onTimeout/escalate/approvers/" + i2,schemaPath:"#/properties/onTimeout/anyOf/1/properties/escalate/properties/approvers/items/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema53.properties.onTimeout.anyOf[1].properties.escalate.properties.approvers.items.type,parentSchema:schema53.properties.onTimeout.anyOf[1].properties.escalate.properties.approvers.items,data:data7};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
}
let i3 = data6.length;
let j1;
if(i3 > 1){
const indices1 = {};
for(;i3--;){
let item1 = data6[i3];
if(typeof item1 !== "string"){
continue;
}
if(typeof indices1[item1] == "number"){
j1 = indices1[item1];
const err19 = {instancePath:instancePath+"/onTimeout/escalate/approvers",schemaPath:"#/properties/onTimeout/anyOf/1/properties/escalate/properties/approvers/uniqueItems",keyword:"uniqueItems",params:{i: i3, j: j1},message:"must NOT have duplicate items (items ## "+j1+" and "+i3+" are identical)",schema:true,parentSchema:schema53.properties.onTimeout.anyOf[1].properties.escalate.properties.approvers,data:data6};
if(vErrors === null){
vErrors = [err19];
}
else {
vErrors.push(err19);
}
errors++;
break;
}
indices1[item1] = i3;
}
}
}
else {
const err20 = {instancePath:instancePath+"/onTimeout/escalate/approvers",schemaPath:"#/properties/onTimeout/anyOf/1/properties/escalate/properties/approvers/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema53.properties.onTimeout.anyOf[1].properties.escalate.properties.approvers.type,parentSchema:schema53.properties.onTimeout.anyOf[1].properties.escalate.properties.approvers,data:data6};
if(vErrors === null){
vErrors = [err20];
}
else {
vErrors.push(err20);
}
errors++;
}
}
if(data5.quorum !== undefined){
let data8 = data5.quorum;
if(!(((typeof data8 == "number") && (!(data8 % 1) && !isNaN(data8))) && (isFinite(data8)))){
const err21 = {instancePath:instancePath+"/onTimeout/escalate/quorum",schemaPath:"#/properties/onTimeout/anyOf/1/properties/escalate/properties/quorum/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema53.properties.onTimeout.anyOf[1].properties.escalate.properties.quorum.type,parentSchema:schema53.properties.onTimeout.anyOf[1].properties.escalate.properties.quorum,data:data8};
if(vErrors === null){
vErrors = [err21];
}
else {
vErrors.push(err21);
}
errors++;
}
if((typeof data8 == "number") && (isFinite(data8))){
if(data8 < 1 || isNaN(data8)){
const err22 = {instancePath:instancePath+"/onTimeout/escalate/quorum",schemaPath:"#/properties/onTimeout/anyOf/1/properties/escalate/properties/quorum/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema53.properties.onTimeout.anyOf[1].properties.escalate.properties.quorum,data:data8};
if(vErrors === null){
vErrors = [err22];
}
else {
vErrors.push(err22);
}
errors++;
}
}
}
if(data5.timeout !== undefined){
let data9 = data5.timeout;
if(typeof data9 === "string"){
if(!pattern5.test(data9)){
const err23 = {instancePath:instancePath+"/onTimeout/escalate/timeout",schemaPath:"#/$defs/duration/pattern",keyword:"pattern",params:{pattern: "^(?=\\d)(\\d+d)?(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?$"},message:"must match pattern \""+"^(?=\\d)(\\d+d)?(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?$"+"\"",schema:"^(?=\\d)(\\d+d)?(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?$",parentSchema:schema35,data:data9};
if(vErrors === null){
vErrors = [err23];
}
else {
vErrors.push(err23);
}
errors++;
}
}
else {
const err24 = {instancePath:instancePath+"/onTimeout/escalate/timeout",schemaPath:"#/$defs/duration/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema35.type,parentSchema:schema35,data:data9};
if(vErrors === null){
vErrors = [err24];
}
else {
vErrors.push(err24);
}
errors++;
}
}
}
else {
const err25 = {instancePath:instancePath+"/onTimeout/escalate",schemaPath:"#/properties/onTimeout/anyOf/1/properties/escalate/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema53.properties.onTimeout.anyOf[1].properties.escalate.type,parentSchema:schema53.properties.onTimeout.anyOf[1].properties.escalate,data:data5};
if(vErrors === null){
vErrors = [err25];
}
else {
vErrors.push(err25);
}
errors++;
}
}
}
else {
const err26 = {instancePath:instancePath+"/onTimeout",schemaPath:"#/properties/onTimeout/anyOf/1/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema53.properties.onTimeout.anyOf[1].type,parentSchema:schema53.properties.onTimeout.anyOf[1],data:data4};
if(vErrors === null){
vErrors = [err26];
}
else {
vErrors.push(err26);
}
errors++;
}
var _valid0 = _errs14 === errors;
valid5 = valid5 || _valid0;
if(!valid5){
const err27 = {instancePath:instancePath+"/onTimeout",schemaPath:"#/properties/onTimeout/anyOf",keyword:"anyOf",params:{},message:"must match a schema in anyOf",schema:schema53.properties.onTimeout.anyOf,parentSchema:schema53.properties.onTimeout,data:data4};
if(vErrors === null){
vErrors = [err27];
}
else {
vErrors.push(err27);
}
errors++;
}
else {
errors = _errs12;
if(vErrors !== null){
if(_errs12){
vErrors.length = _errs12;
}
else {
vErrors = null;
}
}
}
}
if(data.instructions !== undefined){
let data10 = data.instructions;
if(typeof data10 !== "string"){
const err28 = {instancePath:instancePath+"/instructions",schemaPath:"#/properties/instructions/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema53.properties.instructions.type,parentSchema:schema53.properties.instructions,data:data10};
if(vErrors === null){
vErrors = [err28];
}
else {
vErrors.push(err28);
}
errors++;
}
}
if(data.allowInitiator !== undefined){
let data11 = data.allowInitiator;
if(typeof data11 !== "boolean"){
const err29 = {instancePath:instancePath+"/allowInitiator",schemaPath:"#/properties/allowInitiator/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema53.properties.allowInitiator.type,parentSchema:schema53.properties.allowInitiator,data:data11};
if(vErrors === null){
vErrors = [err29];
}
else {
vErrors.push(err29);
}
errors++;
}
}
}
else {
const err30 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema53.type,parentSchema:schema53,data};
if(vErrors === null){
vErrors = [err30];
}
else {
vErrors.push(err30);
}
errors++;
}
validate32.errors = vErrors;
return errors === 0;
}
validate32.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};

const schema56 = {"description":"A task done by hand; the run waits until one assignee marks it done.","type":"object","additionalProperties":false,"required":["instructions"],"properties":{"instructions":{"description":"What to do, precisely enough to do it under stress. May use templates.","type":"string","minLength":1},"assignees":{"description":"Approver groups or principals who may mark the task done. Default: anyone with a key in the plan.","type":"array","minItems":1,"uniqueItems":true,"items":{"type":"string","minLength":1}},"timeout":{"description":"How long to wait before the step fails.","$ref":"#/$defs/duration"}}};

function validate34(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate34.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.instructions === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "instructions"},message:"must have required property '"+"instructions"+"'",schema:schema56.required,parentSchema:schema56,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
for(const key0 in data){
if(!(((key0 === "instructions") || (key0 === "assignees")) || (key0 === "timeout"))){
const err1 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema56,data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
if(data.instructions !== undefined){
let data0 = data.instructions;
if(typeof data0 === "string"){
if(func1(data0) < 1){
const err2 = {instancePath:instancePath+"/instructions",schemaPath:"#/properties/instructions/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema56.properties.instructions,data:data0};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
}
else {
const err3 = {instancePath:instancePath+"/instructions",schemaPath:"#/properties/instructions/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema56.properties.instructions.type,parentSchema:schema56.properties.instructions,data:data0};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
if(data.assignees !== undefined){
let data1 = data.assignees;
if(Array.isArray(data1)){
if(data1.length < 1){
const err4 = {instancePath:instancePath+"/assignees",schemaPath:"#/properties/assignees/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items",schema:1,parentSchema:schema56.properties.assignees,data:data1};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
const len0 = data1.length;
for(let i0=0; i0<len0; i0++){
let data2 = data1[i0];
if(typeof data2 === "string"){
if(func1(data2) < 1){
const err5 = {instancePath:instancePath+"/assignees/" + i0,schemaPath:"#/properties/assignees/items/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema56.properties.assignees.items,data:data2};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
else {
const err6 = {instancePath:instancePath+"/assignees/" + i0,schemaPath:"#/properties/assignees/items/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema56.properties.assignees.items.type,parentSchema:schema56.properties.assignees.items,data:data2};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
let i1 = data1.length;
let j0;
if(i1 > 1){
const indices0 = {};
for(;i1--;){
let item0 = data1[i1];
if(typeof item0 !== "string"){
continue;
}
if(typeof indices0[item0] == "number"){
j0 = indices0[item0];
const err7 = {instancePath:instancePath+"/assignees",schemaPath:"#/properties/assignees/uniqueItems",keyword:"uniqueItems",params:{i: i1, j: j0},message:"must NOT have duplicate items (items ## "+j0+" and "+i1+" are identical)",schema:true,parentSchema:schema56.properties.assignees,data:data1};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
break;
}
indices0[item0] = i1;
}
}
}
else {
const err8 = {instancePath:instancePath+"/assignees",schemaPath:"#/properties/assignees/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema56.properties.assignees.type,parentSchema:schema56.properties.assignees,data:data1};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
if(data.timeout !== undefined){
let data3 = data.timeout;
if(typeof data3 === "string"){
if(!pattern5.test(data3)){
const err9 = {instancePath:instancePath+"/timeout",schemaPath:"#/$defs/duration/pattern",keyword:"pattern",params:{pattern: "^(?=\\d)(\\d+d)?(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?$"},message:"must match pattern \""+"^(?=\\d)(\\d+d)?(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?$"+"\"",schema:"^(?=\\d)(\\d+d)?(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?$",parentSchema:schema35,data:data3};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
}
else {
const err10 = {instancePath:instancePath+"/timeout",schemaPath:"#/$defs/duration/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema35.type,parentSchema:schema35,data:data3};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
}
}
else {
const err11 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema56.type,parentSchema:schema56,data};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
validate34.errors = vErrors;
return errors === 0;
}
validate34.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};

const schema59 = {"description":"Retry policy for failed attempts: wait `backoff`, then `backoff × factor`, … up to `attempts` attempts in all.","type":"object","additionalProperties":false,"required":["attempts"],"properties":{"attempts":{"description":"Attempts in all, the first included.","type":"integer","minimum":1,"maximum":100},"backoff":{"description":"Wait before the second attempt. Default: 0s.","$ref":"#/$defs/duration"},"factor":{"description":"Multiplier applied to the wait after each failed attempt. Default: 1.","type":"number","minimum":1,"maximum":10},"maxBackoff":{"description":"Upper bound of one wait.","$ref":"#/$defs/duration"}},"examples":[{"attempts":3,"backoff":"10s","factor":2}]};

function validate36(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate36.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.attempts === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "attempts"},message:"must have required property '"+"attempts"+"'",schema:schema59.required,parentSchema:schema59,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
for(const key0 in data){
if(!((((key0 === "attempts") || (key0 === "backoff")) || (key0 === "factor")) || (key0 === "maxBackoff"))){
const err1 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema59,data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
if(data.attempts !== undefined){
let data0 = data.attempts;
if(!(((typeof data0 == "number") && (!(data0 % 1) && !isNaN(data0))) && (isFinite(data0)))){
const err2 = {instancePath:instancePath+"/attempts",schemaPath:"#/properties/attempts/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema59.properties.attempts.type,parentSchema:schema59.properties.attempts,data:data0};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
if((typeof data0 == "number") && (isFinite(data0))){
if(data0 > 100 || isNaN(data0)){
const err3 = {instancePath:instancePath+"/attempts",schemaPath:"#/properties/attempts/maximum",keyword:"maximum",params:{comparison: "<=", limit: 100},message:"must be <= 100",schema:100,parentSchema:schema59.properties.attempts,data:data0};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
if(data0 < 1 || isNaN(data0)){
const err4 = {instancePath:instancePath+"/attempts",schemaPath:"#/properties/attempts/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema59.properties.attempts,data:data0};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
}
if(data.backoff !== undefined){
let data1 = data.backoff;
if(typeof data1 === "string"){
if(!pattern5.test(data1)){
const err5 = {instancePath:instancePath+"/backoff",schemaPath:"#/$defs/duration/pattern",keyword:"pattern",params:{pattern: "^(?=\\d)(\\d+d)?(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?$"},message:"must match pattern \""+"^(?=\\d)(\\d+d)?(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?$"+"\"",schema:"^(?=\\d)(\\d+d)?(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?$",parentSchema:schema35,data:data1};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
else {
const err6 = {instancePath:instancePath+"/backoff",schemaPath:"#/$defs/duration/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema35.type,parentSchema:schema35,data:data1};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
if(data.factor !== undefined){
let data2 = data.factor;
if((typeof data2 == "number") && (isFinite(data2))){
if(data2 > 10 || isNaN(data2)){
const err7 = {instancePath:instancePath+"/factor",schemaPath:"#/properties/factor/maximum",keyword:"maximum",params:{comparison: "<=", limit: 10},message:"must be <= 10",schema:10,parentSchema:schema59.properties.factor,data:data2};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
if(data2 < 1 || isNaN(data2)){
const err8 = {instancePath:instancePath+"/factor",schemaPath:"#/properties/factor/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema59.properties.factor,data:data2};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
else {
const err9 = {instancePath:instancePath+"/factor",schemaPath:"#/properties/factor/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema59.properties.factor.type,parentSchema:schema59.properties.factor,data:data2};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
}
if(data.maxBackoff !== undefined){
let data3 = data.maxBackoff;
if(typeof data3 === "string"){
if(!pattern5.test(data3)){
const err10 = {instancePath:instancePath+"/maxBackoff",schemaPath:"#/$defs/duration/pattern",keyword:"pattern",params:{pattern: "^(?=\\d)(\\d+d)?(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?$"},message:"must match pattern \""+"^(?=\\d)(\\d+d)?(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?$"+"\"",schema:"^(?=\\d)(\\d+d)?(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?$",parentSchema:schema35,data:data3};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
}
else {
const err11 = {instancePath:instancePath+"/maxBackoff",schemaPath:"#/$defs/duration/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema35.type,parentSchema:schema35,data:data3};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
}
}
else {
const err12 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema59.type,parentSchema:schema59,data};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
validate36.errors = vErrors;
return errors === 0;
}
validate36.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};


function validate31(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate31.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(data && typeof data == "object" && !Array.isArray(data)){
for(const key0 in data){
if(!(func4.call(schema51.properties, key0))){
const err0 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema51,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
}
if(data.id !== undefined){
let data0 = data.id;
if(typeof data0 === "string"){
if(func1(data0) > 100){
const err1 = {instancePath:instancePath+"/id",schemaPath:"#/$defs/id/maxLength",keyword:"maxLength",params:{limit: 100},message:"must NOT have more than 100 characters",schema:100,parentSchema:schema52,data:data0};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
if(func1(data0) < 1){
const err2 = {instancePath:instancePath+"/id",schemaPath:"#/$defs/id/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema52,data:data0};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
if(!pattern15.test(data0)){
const err3 = {instancePath:instancePath+"/id",schemaPath:"#/$defs/id/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z0-9][A-Za-z0-9_-]*$"},message:"must match pattern \""+"^[A-Za-z0-9][A-Za-z0-9_-]*$"+"\"",schema:"^[A-Za-z0-9][A-Za-z0-9_-]*$",parentSchema:schema52,data:data0};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
else {
const err4 = {instancePath:instancePath+"/id",schemaPath:"#/$defs/id/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema52.type,parentSchema:schema52,data:data0};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
if(data.name !== undefined){
let data1 = data.name;
if(typeof data1 !== "string"){
const err5 = {instancePath:instancePath+"/name",schemaPath:"#/properties/name/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema51.properties.name.type,parentSchema:schema51.properties.name,data:data1};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
if(data.description !== undefined){
let data2 = data.description;
if(typeof data2 !== "string"){
const err6 = {instancePath:instancePath+"/description",schemaPath:"#/properties/description/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema51.properties.description.type,parentSchema:schema51.properties.description,data:data2};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
if(data.action !== undefined){
let data3 = data.action;
if(typeof data3 === "string"){
if(!pattern16.test(data3)){
const err7 = {instancePath:instancePath+"/action",schemaPath:"#/properties/action/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z][A-Za-z0-9_-]*\\.[A-Za-z][A-Za-z0-9_]*$"},message:"must match pattern \""+"^[A-Za-z][A-Za-z0-9_-]*\\.[A-Za-z][A-Za-z0-9_]*$"+"\"",schema:"^[A-Za-z][A-Za-z0-9_-]*\\.[A-Za-z][A-Za-z0-9_]*$",parentSchema:schema51.properties.action,data:data3};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
}
else {
const err8 = {instancePath:instancePath+"/action",schemaPath:"#/properties/action/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema51.properties.action.type,parentSchema:schema51.properties.action,data:data3};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
if(data.with !== undefined){
let data4 = data.with;
if(!(data4 && typeof data4 == "object" && !Array.isArray(data4))){
const err9 = {instancePath:instancePath+"/with",schemaPath:"#/properties/with/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema51.properties.with.type,parentSchema:schema51.properties.with,data:data4};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
}
if(data.run !== undefined){
let data5 = data.run;
const _errs14 = errors;
let valid2 = false;
const _errs15 = errors;
if(Array.isArray(data5)){
if(data5.length < 1){
const err10 = {instancePath:instancePath+"/run",schemaPath:"#/properties/run/anyOf/0/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items",schema:1,parentSchema:schema51.properties.run.anyOf[0],data:data5};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
const len0 = data5.length;
for(let i0=0; i0<len0; i0++){
let data6 = data5[i0];
if(typeof data6 !== "string"){
const err11 = {instancePath:instancePath+"/run/" + i0,schemaPath:"#/properties/run/anyOf/0/items/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema51.properties.run.anyOf[0].items.type,parentSchema:schema51.properties.run.anyOf[0].items,data:data6};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
}
}
else {
const err12 = {instancePath:instancePath+"/run",schemaPath:"#/properties/run/anyOf/0/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema51.properties.run.anyOf[0].type,parentSchema:schema51.properties.run.anyOf[0],data:data5};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
var _valid0 = _errs15 === errors;
valid2 = valid2 || _valid0;
const _errs19 = errors;
if(data5 && typeof data5 == "object" && !Array.isArray(data5)){
if(data5.script === undefined){
const err13 = {instancePath:instancePath+"/run",schemaPath:"#/properties/run/anyOf/1/required",keyword:"required",params:{missingProperty: "script"},message:"must have required property '"+"script"+"'",schema:schema51.properties.run.anyOf[1].required,parentSchema:schema51.properties.run.anyOf[1],data:data5};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
for(const key1 in data5){
if(!((key1 === "script") || (key1 === "args"))){
const err14 = {instancePath:instancePath+"/run",schemaPath:"#/properties/run/anyOf/1/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},message:"must NOT have additional properties",schema:false,parentSchema:schema51.properties.run.anyOf[1],data:data5};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
}
if(data5.script !== undefined){
let data7 = data5.script;
if(typeof data7 === "string"){
if(func1(data7) < 1){
const err15 = {instancePath:instancePath+"/run/script",schemaPath:"#/properties/run/anyOf/1/properties/script/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema51.properties.run.anyOf[1].properties.script,data:data7};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
}
else {
const err16 = {instancePath:instancePath+"/run/script",schemaPath:"#/properties/run/anyOf/1/properties/script/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema51.properties.run.anyOf[1].properties.script.type,parentSchema:schema51.properties.run.anyOf[1].properties.script,data:data7};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
}
if(data5.args !== undefined){
let data8 = data5.args;
if(Array.isArray(data8)){
const len1 = data8.length;
for(let i1=0; i1<len1; i1++){
let data9 = data8[i1];
if(typeof data9 !== "string"){
const err17 = {instancePath:instancePath+"/run/args/" + i1,schemaPath:"#/properties/run/anyOf/1/properties/args/items/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema51.properties.run.anyOf[1].properties.args.items.type,parentSchema:schema51.properties.run.anyOf[1].properties.args.items,data:data9};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
}
}
else {
const err18 = {instancePath:instancePath+"/run/args",schemaPath:"#/properties/run/anyOf/1/properties/args/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema51.properties.run.anyOf[1].properties.args.type,parentSchema:schema51.properties.run.anyOf[1].properties.args,data:data8};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
}
}
else {
const err19 = {instancePath:instancePath+"/run",schemaPath:"#/properties/run/anyOf/1/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema51.properties.run.anyOf[1].type,parentSchema:schema51.properties.run.anyOf[1],data:data5};
if(vErrors === null){
vErrors = [err19];
}
else {
vErrors.push(err19);
}
errors++;
}
var _valid0 = _errs19 === errors;
valid2 = valid2 || _valid0;
if(!valid2){
const err20 = {instancePath:instancePath+"/run",schemaPath:"#/properties/run/anyOf",keyword:"anyOf",params:{},message:"must match a schema in anyOf",schema:schema51.properties.run.anyOf,parentSchema:schema51.properties.run,data:data5};
if(vErrors === null){
vErrors = [err20];
}
else {
vErrors.push(err20);
}
errors++;
}
else {
errors = _errs14;
if(vErrors !== null){
if(_errs14){
vErrors.length = _errs14;
}
else {
vErrors = null;
}
}
}
}
if(data.gate !== undefined){
if(!(validate32(data.gate, {instancePath:instancePath+"/gate",parentData:data,parentDataProperty:"gate",rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate32.errors : appendErrors(vErrors, validate32.errors);
errors = vErrors.length;
}
}
if(data.manual !== undefined){
if(!(validate34(data.manual, {instancePath:instancePath+"/manual",parentData:data,parentDataProperty:"manual",rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate34.errors : appendErrors(vErrors, validate34.errors);
errors = vErrors.length;
}
}
if(data.modes !== undefined){
let data12 = data.modes;
if(Array.isArray(data12)){
if(data12.length < 1){
const err21 = {instancePath:instancePath+"/modes",schemaPath:"#/properties/modes/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items",schema:1,parentSchema:schema51.properties.modes,data:data12};
if(vErrors === null){
vErrors = [err21];
}
else {
vErrors.push(err21);
}
errors++;
}
const len2 = data12.length;
for(let i2=0; i2<len2; i2++){
let data13 = data12[i2];
if(!(((data13 === "planned") || (data13 === "unplanned")) || (data13 === "test"))){
const err22 = {instancePath:instancePath+"/modes/" + i2,schemaPath:"#/properties/modes/items/enum",keyword:"enum",params:{allowedValues: schema51.properties.modes.items.enum},message:"must be equal to one of the allowed values",schema:schema51.properties.modes.items.enum,parentSchema:schema51.properties.modes.items,data:data13};
if(vErrors === null){
vErrors = [err22];
}
else {
vErrors.push(err22);
}
errors++;
}
}
let i3 = data12.length;
let j0;
if(i3 > 1){
outer0:
for(;i3--;){
for(j0 = i3; j0--;){
if(func0(data12[i3], data12[j0])){
const err23 = {instancePath:instancePath+"/modes",schemaPath:"#/properties/modes/uniqueItems",keyword:"uniqueItems",params:{i: i3, j: j0},message:"must NOT have duplicate items (items ## "+j0+" and "+i3+" are identical)",schema:true,parentSchema:schema51.properties.modes,data:data12};
if(vErrors === null){
vErrors = [err23];
}
else {
vErrors.push(err23);
}
errors++;
break outer0;
}
}
}
}
}
else {
const err24 = {instancePath:instancePath+"/modes",schemaPath:"#/properties/modes/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema51.properties.modes.type,parentSchema:schema51.properties.modes,data:data12};
if(vErrors === null){
vErrors = [err24];
}
else {
vErrors.push(err24);
}
errors++;
}
}
if(data.timeout !== undefined){
let data14 = data.timeout;
if(typeof data14 === "string"){
if(!pattern5.test(data14)){
const err25 = {instancePath:instancePath+"/timeout",schemaPath:"#/$defs/duration/pattern",keyword:"pattern",params:{pattern: "^(?=\\d)(\\d+d)?(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?$"},message:"must match pattern \""+"^(?=\\d)(\\d+d)?(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?$"+"\"",schema:"^(?=\\d)(\\d+d)?(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?$",parentSchema:schema35,data:data14};
if(vErrors === null){
vErrors = [err25];
}
else {
vErrors.push(err25);
}
errors++;
}
}
else {
const err26 = {instancePath:instancePath+"/timeout",schemaPath:"#/$defs/duration/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema35.type,parentSchema:schema35,data:data14};
if(vErrors === null){
vErrors = [err26];
}
else {
vErrors.push(err26);
}
errors++;
}
}
if(data.retry !== undefined){
if(!(validate36(data.retry, {instancePath:instancePath+"/retry",parentData:data,parentDataProperty:"retry",rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate36.errors : appendErrors(vErrors, validate36.errors);
errors = vErrors.length;
}
}
if(data.onFailure !== undefined){
let data16 = data.onFailure;
if(!(((data16 === "abort") || (data16 === "continue")) || (data16 === "pause"))){
const err27 = {instancePath:instancePath+"/onFailure",schemaPath:"#/properties/onFailure/enum",keyword:"enum",params:{allowedValues: schema51.properties.onFailure.enum},message:"must be equal to one of the allowed values",schema:schema51.properties.onFailure.enum,parentSchema:schema51.properties.onFailure,data:data16};
if(vErrors === null){
vErrors = [err27];
}
else {
vErrors.push(err27);
}
errors++;
}
}
if(data.estimate !== undefined){
let data17 = data.estimate;
const _errs39 = errors;
let valid12 = false;
const _errs40 = errors;
if(typeof data17 === "string"){
if(!pattern5.test(data17)){
const err28 = {instancePath:instancePath+"/estimate",schemaPath:"#/$defs/duration/pattern",keyword:"pattern",params:{pattern: "^(?=\\d)(\\d+d)?(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?$"},message:"must match pattern \""+"^(?=\\d)(\\d+d)?(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?$"+"\"",schema:"^(?=\\d)(\\d+d)?(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?$",parentSchema:schema35,data:data17};
if(vErrors === null){
vErrors = [err28];
}
else {
vErrors.push(err28);
}
errors++;
}
}
else {
const err29 = {instancePath:instancePath+"/estimate",schemaPath:"#/$defs/duration/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema35.type,parentSchema:schema35,data:data17};
if(vErrors === null){
vErrors = [err29];
}
else {
vErrors.push(err29);
}
errors++;
}
var _valid1 = _errs40 === errors;
valid12 = valid12 || _valid1;
const _errs43 = errors;
if(typeof data17 === "string"){
if(!pattern24.test(data17)){
const err30 = {instancePath:instancePath+"/estimate",schemaPath:"#/properties/estimate/anyOf/1/pattern",keyword:"pattern",params:{pattern: "\\{\\{"},message:"must match pattern \""+"\\{\\{"+"\"",schema:"\\{\\{",parentSchema:schema51.properties.estimate.anyOf[1],data:data17};
if(vErrors === null){
vErrors = [err30];
}
else {
vErrors.push(err30);
}
errors++;
}
}
else {
const err31 = {instancePath:instancePath+"/estimate",schemaPath:"#/properties/estimate/anyOf/1/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema51.properties.estimate.anyOf[1].type,parentSchema:schema51.properties.estimate.anyOf[1],data:data17};
if(vErrors === null){
vErrors = [err31];
}
else {
vErrors.push(err31);
}
errors++;
}
var _valid1 = _errs43 === errors;
valid12 = valid12 || _valid1;
if(!valid12){
const err32 = {instancePath:instancePath+"/estimate",schemaPath:"#/properties/estimate/anyOf",keyword:"anyOf",params:{},message:"must match a schema in anyOf",schema:schema51.properties.estimate.anyOf,parentSchema:schema51.properties.estimate,data:data17};
if(vErrors === null){
vErrors = [err32];
}
else {
vErrors.push(err32);
}
errors++;
}
else {
errors = _errs39;
if(vErrors !== null){
if(_errs39){
vErrors.length = _errs39;
}
else {
vErrors = null;
}
}
}
}
if(data.forEach !== undefined){
let data18 = data.forEach;
if("vm" !== data18){
const err33 = {instancePath:instancePath+"/forEach",schemaPath:"#/properties/forEach/const",keyword:"const",params:{allowedValue: "vm"},message:"must be equal to constant",schema:"vm",parentSchema:schema51.properties.forEach,data:data18};
if(vErrors === null){
vErrors = [err33];
}
else {
vErrors.push(err33);
}
errors++;
}
}
}
else {
const err34 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema51.type,parentSchema:schema51,data};
if(vErrors === null){
vErrors = [err34];
}
else {
vErrors.push(err34);
}
errors++;
}
validate31.errors = vErrors;
return errors === 0;
}
validate31.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};


function validate30(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate30.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(Array.isArray(data)){
const len0 = data.length;
for(let i0=0; i0<len0; i0++){
if(!(validate31(data[i0], {instancePath:instancePath+"/" + i0,parentData:data,parentDataProperty:i0,rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate31.errors : appendErrors(vErrors, validate31.errors);
errors = vErrors.length;
}
}
}
else {
const err0 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema50.type,parentSchema:schema50,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
validate30.errors = vErrors;
return errors === 0;
}
validate30.evaluated = {"items":true,"dynamicProps":false,"dynamicItems":false};

const schema63 = {"description":"A group of VMs that fail over together: its `pre` steps, then the mode's operations on every VM (at most `concurrency` at once), then its `post` steps.","type":"object","additionalProperties":false,"required":["id"],"properties":{"id":{"description":"The group's id, unique in the plan.","$ref":"#/$defs/id"},"name":{"description":"A human-readable name.","type":"string"},"description":{"description":"What the group holds.","type":"string"},"dependsOn":{"description":"Groups that must finish before this one starts. Without it a group depends on the group before it; with it, independent groups fail over at the same time.","type":"array","items":{"$ref":"#/$defs/id"},"uniqueItems":true,"examples":[["database"]]},"vms":{"description":"The protected VMs: names, or objects with a `name` and any attributes templates may use as `{{vm.<attr>}}`.","type":"array","items":{"$ref":"#/$defs/vm"},"examples":[["pg-1","pg-2"],[{"name":"app-1","ip":"10.0.0.11"}]]},"concurrency":{"description":"How many VM operations of this group run at once. Default: all of them.","type":"integer","minimum":1,"examples":[2]},"pre":{"description":"Steps run before the group's VM operations.","$ref":"#/$defs/steps"},"post":{"description":"Steps run after the group's VM operations.","$ref":"#/$defs/steps"}}};
const schema66 = {"description":"A protected VM, by name or as an object with attributes.","anyOf":[{"$ref":"#/$defs/vmName"},{"type":"object","required":["name"],"properties":{"name":{"$ref":"#/$defs/vmName"}},"additionalProperties":{"description":"An attribute available to templates as `{{vm.<attr>}}`.","type":["string","number","boolean"]}}]};
const schema67 = {"description":"A VM name: letters, digits, dots, underscores and hyphens.","type":"string","minLength":1,"maxLength":253,"pattern":"^[A-Za-z0-9][A-Za-z0-9._-]*$","examples":["pg-1","app-1.prod.example.com"]};
const pattern27 = new RegExp("^[A-Za-z0-9][A-Za-z0-9._-]*$", "u");

function validate41(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate41.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
const _errs0 = errors;
let valid0 = false;
const _errs1 = errors;
if(typeof data === "string"){
if(func1(data) > 253){
const err0 = {instancePath,schemaPath:"#/$defs/vmName/maxLength",keyword:"maxLength",params:{limit: 253},message:"must NOT have more than 253 characters",schema:253,parentSchema:schema67,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
if(func1(data) < 1){
const err1 = {instancePath,schemaPath:"#/$defs/vmName/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema67,data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
if(!pattern27.test(data)){
const err2 = {instancePath,schemaPath:"#/$defs/vmName/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z0-9][A-Za-z0-9._-]*$"},message:"must match pattern \""+"^[A-Za-z0-9][A-Za-z0-9._-]*$"+"\"",schema:"^[A-Za-z0-9][A-Za-z0-9._-]*$",parentSchema:schema67,data};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
}
else {
const err3 = {instancePath,schemaPath:"#/$defs/vmName/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema67.type,parentSchema:schema67,data};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
var _valid0 = _errs1 === errors;
valid0 = valid0 || _valid0;
const _errs4 = errors;
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.name === undefined){
const err4 = {instancePath,schemaPath:"#/anyOf/1/required",keyword:"required",params:{missingProperty: "name"},message:"must have required property '"+"name"+"'",schema:schema66.anyOf[1].required,parentSchema:schema66.anyOf[1],data};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
for(const key0 in data){
if(!(key0 === "name")){
let data0 = data[key0];
if(((typeof data0 !== "string") && (!((typeof data0 == "number") && (isFinite(data0))))) && (typeof data0 !== "boolean")){
const err5 = {instancePath:instancePath+"/" + key0.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/anyOf/1/additionalProperties/type",keyword:"type",params:{type: schema66.anyOf[1].additionalProperties.type},message:"must be string,number,boolean",schema:schema66.anyOf[1].additionalProperties.type,parentSchema:schema66.anyOf[1].additionalProperties,data:data0};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
}
if(data.name !== undefined){
let data1 = data.name;
if(typeof data1 === "string"){
if(func1(data1) > 253){
const err6 = {instancePath:instancePath+"/name",schemaPath:"#/$defs/vmName/maxLength",keyword:"maxLength",params:{limit: 253},message:"must NOT have more than 253 characters",schema:253,parentSchema:schema67,data:data1};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
if(func1(data1) < 1){
const err7 = {instancePath:instancePath+"/name",schemaPath:"#/$defs/vmName/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema67,data:data1};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
if(!pattern27.test(data1)){
const err8 = {instancePath:instancePath+"/name",schemaPath:"#/$defs/vmName/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z0-9][A-Za-z0-9._-]*$"},message:"must match pattern \""+"^[A-Za-z0-9][A-Za-z0-9._-]*$"+"\"",schema:"^[A-Za-z0-9][A-Za-z0-9._-]*$",parentSchema:schema67,data:data1};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
else {
const err9 = {instancePath:instancePath+"/name",schemaPath:"#/$defs/vmName/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema67.type,parentSchema:schema67,data:data1};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
}
}
else {
const err10 = {instancePath,schemaPath:"#/anyOf/1/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema66.anyOf[1].type,parentSchema:schema66.anyOf[1],data};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
var _valid0 = _errs4 === errors;
valid0 = valid0 || _valid0;
if(_valid0){
var props0 = true;
}
if(!valid0){
const err11 = {instancePath,schemaPath:"#/anyOf",keyword:"anyOf",params:{},message:"must match a schema in anyOf",schema:schema66.anyOf,parentSchema:schema66,data};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
else {
errors = _errs0;
if(vErrors !== null){
if(_errs0){
vErrors.length = _errs0;
}
else {
vErrors = null;
}
}
}
validate41.errors = vErrors;
evaluated0.props = props0;
return errors === 0;
}
validate41.evaluated = {"dynamicProps":true,"dynamicItems":false};


function validate40(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate40.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.id === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "id"},message:"must have required property '"+"id"+"'",schema:schema63.required,parentSchema:schema63,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
for(const key0 in data){
if(!((((((((key0 === "id") || (key0 === "name")) || (key0 === "description")) || (key0 === "dependsOn")) || (key0 === "vms")) || (key0 === "concurrency")) || (key0 === "pre")) || (key0 === "post"))){
const err1 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema63,data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
if(data.id !== undefined){
let data0 = data.id;
if(typeof data0 === "string"){
if(func1(data0) > 100){
const err2 = {instancePath:instancePath+"/id",schemaPath:"#/$defs/id/maxLength",keyword:"maxLength",params:{limit: 100},message:"must NOT have more than 100 characters",schema:100,parentSchema:schema52,data:data0};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
if(func1(data0) < 1){
const err3 = {instancePath:instancePath+"/id",schemaPath:"#/$defs/id/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema52,data:data0};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
if(!pattern15.test(data0)){
const err4 = {instancePath:instancePath+"/id",schemaPath:"#/$defs/id/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z0-9][A-Za-z0-9_-]*$"},message:"must match pattern \""+"^[A-Za-z0-9][A-Za-z0-9_-]*$"+"\"",schema:"^[A-Za-z0-9][A-Za-z0-9_-]*$",parentSchema:schema52,data:data0};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
else {
const err5 = {instancePath:instancePath+"/id",schemaPath:"#/$defs/id/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema52.type,parentSchema:schema52,data:data0};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
if(data.name !== undefined){
let data1 = data.name;
if(typeof data1 !== "string"){
const err6 = {instancePath:instancePath+"/name",schemaPath:"#/properties/name/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema63.properties.name.type,parentSchema:schema63.properties.name,data:data1};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
if(data.description !== undefined){
let data2 = data.description;
if(typeof data2 !== "string"){
const err7 = {instancePath:instancePath+"/description",schemaPath:"#/properties/description/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema63.properties.description.type,parentSchema:schema63.properties.description,data:data2};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
}
if(data.dependsOn !== undefined){
let data3 = data.dependsOn;
if(Array.isArray(data3)){
const len0 = data3.length;
for(let i0=0; i0<len0; i0++){
let data4 = data3[i0];
if(typeof data4 === "string"){
if(func1(data4) > 100){
const err8 = {instancePath:instancePath+"/dependsOn/" + i0,schemaPath:"#/$defs/id/maxLength",keyword:"maxLength",params:{limit: 100},message:"must NOT have more than 100 characters",schema:100,parentSchema:schema52,data:data4};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
if(func1(data4) < 1){
const err9 = {instancePath:instancePath+"/dependsOn/" + i0,schemaPath:"#/$defs/id/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema52,data:data4};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
if(!pattern15.test(data4)){
const err10 = {instancePath:instancePath+"/dependsOn/" + i0,schemaPath:"#/$defs/id/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z0-9][A-Za-z0-9_-]*$"},message:"must match pattern \""+"^[A-Za-z0-9][A-Za-z0-9_-]*$"+"\"",schema:"^[A-Za-z0-9][A-Za-z0-9_-]*$",parentSchema:schema52,data:data4};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
}
else {
const err11 = {instancePath:instancePath+"/dependsOn/" + i0,schemaPath:"#/$defs/id/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema52.type,parentSchema:schema52,data:data4};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
}
let i1 = data3.length;
let j0;
if(i1 > 1){
outer0:
for(;i1--;){
for(j0 = i1; j0--;){
if(func0(data3[i1], data3[j0])){
const err12 = {instancePath:instancePath+"/dependsOn",schemaPath:"#/properties/dependsOn/uniqueItems",keyword:"uniqueItems",params:{i: i1, j: j0},message:"must NOT have duplicate items (items ## "+j0+" and "+i1+" are identical)",schema:true,parentSchema:schema63.properties.dependsOn,data:data3};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
break outer0;
}
}
}
}
}
else {
const err13 = {instancePath:instancePath+"/dependsOn",schemaPath:"#/properties/dependsOn/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema63.properties.dependsOn.type,parentSchema:schema63.properties.dependsOn,data:data3};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
}
if(data.vms !== undefined){
let data5 = data.vms;
if(Array.isArray(data5)){
const len1 = data5.length;
for(let i2=0; i2<len1; i2++){
if(!(validate41(data5[i2], {instancePath:instancePath+"/vms/" + i2,parentData:data5,parentDataProperty:i2,rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate41.errors : appendErrors(vErrors, validate41.errors);
errors = vErrors.length;
}
}
}
else {
const err14 = {instancePath:instancePath+"/vms",schemaPath:"#/properties/vms/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema63.properties.vms.type,parentSchema:schema63.properties.vms,data:data5};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
}
if(data.concurrency !== undefined){
let data7 = data.concurrency;
if(!(((typeof data7 == "number") && (!(data7 % 1) && !isNaN(data7))) && (isFinite(data7)))){
const err15 = {instancePath:instancePath+"/concurrency",schemaPath:"#/properties/concurrency/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema63.properties.concurrency.type,parentSchema:schema63.properties.concurrency,data:data7};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
if((typeof data7 == "number") && (isFinite(data7))){
if(data7 < 1 || isNaN(data7)){
const err16 = {instancePath:instancePath+"/concurrency",schemaPath:"#/properties/concurrency/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema63.properties.concurrency,data:data7};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
}
}
if(data.pre !== undefined){
if(!(validate30(data.pre, {instancePath:instancePath+"/pre",parentData:data,parentDataProperty:"pre",rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate30.errors : appendErrors(vErrors, validate30.errors);
errors = vErrors.length;
}
}
if(data.post !== undefined){
if(!(validate30(data.post, {instancePath:instancePath+"/post",parentData:data,parentDataProperty:"post",rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate30.errors : appendErrors(vErrors, validate30.errors);
errors = vErrors.length;
}
}
}
else {
const err17 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema63.type,parentSchema:schema63,data};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
validate40.errors = vErrors;
return errors === 0;
}
validate40.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};

const pattern11 = new RegExp("^[A-Za-z_][A-Za-z0-9_]*$", "u");
const pattern13 = new RegExp("^[A-Za-z0-9][A-Za-z0-9._@-]*$", "u");

function validate21(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate21.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.adapters === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "adapters"},message:"must have required property '"+"adapters"+"'",schema:schema33.required,parentSchema:schema33,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
if(data.sites === undefined){
const err1 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "sites"},message:"must have required property '"+"sites"+"'",schema:schema33.required,parentSchema:schema33,data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
if(data.groups === undefined){
const err2 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "groups"},message:"must have required property '"+"groups"+"'",schema:schema33.required,parentSchema:schema33,data};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
for(const key0 in data){
if(!(func4.call(schema33.properties, key0))){
const err3 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema33,data};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
if(data.objectives !== undefined){
if(!(validate22(data.objectives, {instancePath:instancePath+"/objectives",parentData:data,parentDataProperty:"objectives",rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate22.errors : appendErrors(vErrors, validate22.errors);
errors = vErrors.length;
}
}
if(data.adapters !== undefined){
let data1 = data.adapters;
if(data1 && typeof data1 == "object" && !Array.isArray(data1)){
if(Object.keys(data1).length < 1){
const err4 = {instancePath:instancePath+"/adapters",schemaPath:"#/properties/adapters/minProperties",keyword:"minProperties",params:{limit: 1},message:"must NOT have fewer than 1 properties",schema:1,parentSchema:schema33.properties.adapters,data:data1};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
for(const key1 in data1){
const _errs5 = errors;
if(typeof key1 === "string"){
if(func1(key1) > 63){
const err5 = {instancePath:instancePath+"/adapters",schemaPath:"#/$defs/name/maxLength",keyword:"maxLength",params:{limit: 63},message:"must NOT have more than 63 characters",schema:63,parentSchema:schema37,data:key1,propertyName:key1};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
if(func1(key1) < 1){
const err6 = {instancePath:instancePath+"/adapters",schemaPath:"#/$defs/name/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema37,data:key1,propertyName:key1};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
if(!pattern7.test(key1)){
const err7 = {instancePath:instancePath+"/adapters",schemaPath:"#/$defs/name/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z][A-Za-z0-9_-]*$"},message:"must match pattern \""+"^[A-Za-z][A-Za-z0-9_-]*$"+"\"",schema:"^[A-Za-z][A-Za-z0-9_-]*$",parentSchema:schema37,data:key1,propertyName:key1};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
}
else {
const err8 = {instancePath:instancePath+"/adapters",schemaPath:"#/$defs/name/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema37.type,parentSchema:schema37,data:key1,propertyName:key1};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
var valid1 = _errs5 === errors;
if(!valid1){
const err9 = {instancePath:instancePath+"/adapters",schemaPath:"#/properties/adapters/propertyNames",keyword:"propertyNames",params:{propertyName: key1},message:"property name must be valid",schema:schema33.properties.adapters.propertyNames,parentSchema:schema33.properties.adapters,data:data1};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
}
for(const key2 in data1){
if(!(validate24(data1[key2], {instancePath:instancePath+"/adapters/" + key2.replace(/~/g, "~0").replace(/\//g, "~1"),parentData:data1,parentDataProperty:key2,rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate24.errors : appendErrors(vErrors, validate24.errors);
errors = vErrors.length;
}
}
}
else {
const err10 = {instancePath:instancePath+"/adapters",schemaPath:"#/properties/adapters/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema33.properties.adapters.type,parentSchema:schema33.properties.adapters,data:data1};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
}
if(data.sites !== undefined){
if(!(validate26(data.sites, {instancePath:instancePath+"/sites",parentData:data,parentDataProperty:"sites",rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate26.errors : appendErrors(vErrors, validate26.errors);
errors = vErrors.length;
}
}
if(data.parameters !== undefined){
let data4 = data.parameters;
if(data4 && typeof data4 == "object" && !Array.isArray(data4)){
for(const key3 in data4){
const _errs13 = errors;
if(typeof key3 === "string"){
if(!pattern11.test(key3)){
const err11 = {instancePath:instancePath+"/parameters",schemaPath:"#/$defs/identifier/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z_][A-Za-z0-9_]*$"},message:"must match pattern \""+"^[A-Za-z_][A-Za-z0-9_]*$"+"\"",schema:"^[A-Za-z_][A-Za-z0-9_]*$",parentSchema:schema43,data:key3,propertyName:key3};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
}
else {
const err12 = {instancePath:instancePath+"/parameters",schemaPath:"#/$defs/identifier/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema43.type,parentSchema:schema43,data:key3,propertyName:key3};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
var valid4 = _errs13 === errors;
if(!valid4){
const err13 = {instancePath:instancePath+"/parameters",schemaPath:"#/properties/parameters/propertyNames",keyword:"propertyNames",params:{propertyName: key3},message:"property name must be valid",schema:schema33.properties.parameters.propertyNames,parentSchema:schema33.properties.parameters,data:data4};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
}
for(const key4 in data4){
let data5 = data4[key4];
if(data5 && typeof data5 == "object" && !Array.isArray(data5)){
if(data5.type === undefined){
const err14 = {instancePath:instancePath+"/parameters/" + key4.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/$defs/parameter/required",keyword:"required",params:{missingProperty: "type"},message:"must have required property '"+"type"+"'",schema:schema44.required,parentSchema:schema44,data:data5};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
for(const key5 in data5){
if(!((((key5 === "type") || (key5 === "description")) || (key5 === "default")) || (key5 === "enum"))){
const err15 = {instancePath:instancePath+"/parameters/" + key4.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/$defs/parameter/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key5},message:"must NOT have additional properties",schema:false,parentSchema:schema44,data:data5};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
}
if(data5.type !== undefined){
let data6 = data5.type;
if(!((((data6 === "string") || (data6 === "number")) || (data6 === "integer")) || (data6 === "boolean"))){
const err16 = {instancePath:instancePath+"/parameters/" + key4.replace(/~/g, "~0").replace(/\//g, "~1")+"/type",schemaPath:"#/$defs/parameter/properties/type/enum",keyword:"enum",params:{allowedValues: schema44.properties.type.enum},message:"must be equal to one of the allowed values",schema:schema44.properties.type.enum,parentSchema:schema44.properties.type,data:data6};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
}
if(data5.description !== undefined){
let data7 = data5.description;
if(typeof data7 !== "string"){
const err17 = {instancePath:instancePath+"/parameters/" + key4.replace(/~/g, "~0").replace(/\//g, "~1")+"/description",schemaPath:"#/$defs/parameter/properties/description/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema44.properties.description.type,parentSchema:schema44.properties.description,data:data7};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
}
if(data5.default !== undefined){
let data8 = data5.default;
if(((typeof data8 !== "string") && (!((typeof data8 == "number") && (isFinite(data8))))) && (typeof data8 !== "boolean")){
const err18 = {instancePath:instancePath+"/parameters/" + key4.replace(/~/g, "~0").replace(/\//g, "~1")+"/default",schemaPath:"#/$defs/parameter/properties/default/type",keyword:"type",params:{type: schema44.properties.default.type},message:"must be string,number,boolean",schema:schema44.properties.default.type,parentSchema:schema44.properties.default,data:data8};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
}
if(data5.enum !== undefined){
let data9 = data5.enum;
if(Array.isArray(data9)){
if(data9.length < 1){
const err19 = {instancePath:instancePath+"/parameters/" + key4.replace(/~/g, "~0").replace(/\//g, "~1")+"/enum",schemaPath:"#/$defs/parameter/properties/enum/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items",schema:1,parentSchema:schema44.properties.enum,data:data9};
if(vErrors === null){
vErrors = [err19];
}
else {
vErrors.push(err19);
}
errors++;
}
const len0 = data9.length;
for(let i0=0; i0<len0; i0++){
let data10 = data9[i0];
if(((typeof data10 !== "string") && (!((typeof data10 == "number") && (isFinite(data10))))) && (typeof data10 !== "boolean")){
const err20 = {instancePath:instancePath+"/parameters/" + key4.replace(/~/g, "~0").replace(/\//g, "~1")+"/enum/" + i0,schemaPath:"#/$defs/parameter/properties/enum/items/type",keyword:"type",params:{type: schema44.properties.enum.items.type},message:"must be string,number,boolean",schema:schema44.properties.enum.items.type,parentSchema:schema44.properties.enum.items,data:data10};
if(vErrors === null){
vErrors = [err20];
}
else {
vErrors.push(err20);
}
errors++;
}
}
}
else {
const err21 = {instancePath:instancePath+"/parameters/" + key4.replace(/~/g, "~0").replace(/\//g, "~1")+"/enum",schemaPath:"#/$defs/parameter/properties/enum/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema44.properties.enum.type,parentSchema:schema44.properties.enum,data:data9};
if(vErrors === null){
vErrors = [err21];
}
else {
vErrors.push(err21);
}
errors++;
}
}
}
else {
const err22 = {instancePath:instancePath+"/parameters/" + key4.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/$defs/parameter/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema44.type,parentSchema:schema44,data:data5};
if(vErrors === null){
vErrors = [err22];
}
else {
vErrors.push(err22);
}
errors++;
}
}
}
else {
const err23 = {instancePath:instancePath+"/parameters",schemaPath:"#/properties/parameters/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema33.properties.parameters.type,parentSchema:schema33.properties.parameters,data:data4};
if(vErrors === null){
vErrors = [err23];
}
else {
vErrors.push(err23);
}
errors++;
}
}
if(data.approvers !== undefined){
let data11 = data.approvers;
if(data11 && typeof data11 == "object" && !Array.isArray(data11)){
for(const key6 in data11){
const _errs32 = errors;
if(typeof key6 === "string"){
if(func1(key6) > 63){
const err24 = {instancePath:instancePath+"/approvers",schemaPath:"#/$defs/name/maxLength",keyword:"maxLength",params:{limit: 63},message:"must NOT have more than 63 characters",schema:63,parentSchema:schema37,data:key6,propertyName:key6};
if(vErrors === null){
vErrors = [err24];
}
else {
vErrors.push(err24);
}
errors++;
}
if(func1(key6) < 1){
const err25 = {instancePath:instancePath+"/approvers",schemaPath:"#/$defs/name/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema37,data:key6,propertyName:key6};
if(vErrors === null){
vErrors = [err25];
}
else {
vErrors.push(err25);
}
errors++;
}
if(!pattern7.test(key6)){
const err26 = {instancePath:instancePath+"/approvers",schemaPath:"#/$defs/name/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z][A-Za-z0-9_-]*$"},message:"must match pattern \""+"^[A-Za-z][A-Za-z0-9_-]*$"+"\"",schema:"^[A-Za-z][A-Za-z0-9_-]*$",parentSchema:schema37,data:key6,propertyName:key6};
if(vErrors === null){
vErrors = [err26];
}
else {
vErrors.push(err26);
}
errors++;
}
}
else {
const err27 = {instancePath:instancePath+"/approvers",schemaPath:"#/$defs/name/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema37.type,parentSchema:schema37,data:key6,propertyName:key6};
if(vErrors === null){
vErrors = [err27];
}
else {
vErrors.push(err27);
}
errors++;
}
var valid11 = _errs32 === errors;
if(!valid11){
const err28 = {instancePath:instancePath+"/approvers",schemaPath:"#/properties/approvers/propertyNames",keyword:"propertyNames",params:{propertyName: key6},message:"property name must be valid",schema:schema33.properties.approvers.propertyNames,parentSchema:schema33.properties.approvers,data:data11};
if(vErrors === null){
vErrors = [err28];
}
else {
vErrors.push(err28);
}
errors++;
}
}
for(const key7 in data11){
let data12 = data11[key7];
if(Array.isArray(data12)){
if(data12.length < 1){
const err29 = {instancePath:instancePath+"/approvers/" + key7.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/properties/approvers/additionalProperties/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items",schema:1,parentSchema:schema33.properties.approvers.additionalProperties,data:data12};
if(vErrors === null){
vErrors = [err29];
}
else {
vErrors.push(err29);
}
errors++;
}
const len1 = data12.length;
for(let i1=0; i1<len1; i1++){
let data13 = data12[i1];
if(typeof data13 === "string"){
if(func1(data13) > 100){
const err30 = {instancePath:instancePath+"/approvers/" + key7.replace(/~/g, "~0").replace(/\//g, "~1")+"/" + i1,schemaPath:"#/$defs/principal/maxLength",keyword:"maxLength",params:{limit: 100},message:"must NOT have more than 100 characters",schema:100,parentSchema:schema46,data:data13};
if(vErrors === null){
vErrors = [err30];
}
else {
vErrors.push(err30);
}
errors++;
}
if(func1(data13) < 1){
const err31 = {instancePath:instancePath+"/approvers/" + key7.replace(/~/g, "~0").replace(/\//g, "~1")+"/" + i1,schemaPath:"#/$defs/principal/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema46,data:data13};
if(vErrors === null){
vErrors = [err31];
}
else {
vErrors.push(err31);
}
errors++;
}
if(!pattern13.test(data13)){
const err32 = {instancePath:instancePath+"/approvers/" + key7.replace(/~/g, "~0").replace(/\//g, "~1")+"/" + i1,schemaPath:"#/$defs/principal/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z0-9][A-Za-z0-9._@-]*$"},message:"must match pattern \""+"^[A-Za-z0-9][A-Za-z0-9._@-]*$"+"\"",schema:"^[A-Za-z0-9][A-Za-z0-9._@-]*$",parentSchema:schema46,data:data13};
if(vErrors === null){
vErrors = [err32];
}
else {
vErrors.push(err32);
}
errors++;
}
}
else {
const err33 = {instancePath:instancePath+"/approvers/" + key7.replace(/~/g, "~0").replace(/\//g, "~1")+"/" + i1,schemaPath:"#/$defs/principal/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema46.type,parentSchema:schema46,data:data13};
if(vErrors === null){
vErrors = [err33];
}
else {
vErrors.push(err33);
}
errors++;
}
}
}
else {
const err34 = {instancePath:instancePath+"/approvers/" + key7.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/properties/approvers/additionalProperties/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema33.properties.approvers.additionalProperties.type,parentSchema:schema33.properties.approvers.additionalProperties,data:data12};
if(vErrors === null){
vErrors = [err34];
}
else {
vErrors.push(err34);
}
errors++;
}
}
}
else {
const err35 = {instancePath:instancePath+"/approvers",schemaPath:"#/properties/approvers/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema33.properties.approvers.type,parentSchema:schema33.properties.approvers,data:data11};
if(vErrors === null){
vErrors = [err35];
}
else {
vErrors.push(err35);
}
errors++;
}
}
if(data.approverKeys !== undefined){
let data14 = data.approverKeys;
if(typeof data14 === "string"){
if(func1(data14) < 1){
const err36 = {instancePath:instancePath+"/approverKeys",schemaPath:"#/properties/approverKeys/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema33.properties.approverKeys,data:data14};
if(vErrors === null){
vErrors = [err36];
}
else {
vErrors.push(err36);
}
errors++;
}
}
else {
const err37 = {instancePath:instancePath+"/approverKeys",schemaPath:"#/properties/approverKeys/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema33.properties.approverKeys.type,parentSchema:schema33.properties.approverKeys,data:data14};
if(vErrors === null){
vErrors = [err37];
}
else {
vErrors.push(err37);
}
errors++;
}
}
if(data.notifications !== undefined){
if(!(validate28(data.notifications, {instancePath:instancePath+"/notifications",parentData:data,parentDataProperty:"notifications",rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate28.errors : appendErrors(vErrors, validate28.errors);
errors = vErrors.length;
}
}
if(data.modes !== undefined){
let data16 = data.modes;
if(data16 && typeof data16 == "object" && !Array.isArray(data16)){
if(Object.keys(data16).length < 1){
const err38 = {instancePath:instancePath+"/modes",schemaPath:"#/$defs/modes/minProperties",keyword:"minProperties",params:{limit: 1},message:"must NOT have fewer than 1 properties",schema:1,parentSchema:schema49,data:data16};
if(vErrors === null){
vErrors = [err38];
}
else {
vErrors.push(err38);
}
errors++;
}
for(const key8 in data16){
if(!(((key8 === "planned") || (key8 === "unplanned")) || (key8 === "test"))){
const err39 = {instancePath:instancePath+"/modes",schemaPath:"#/$defs/modes/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key8},message:"must NOT have additional properties",schema:false,parentSchema:schema49,data:data16};
if(vErrors === null){
vErrors = [err39];
}
else {
vErrors.push(err39);
}
errors++;
}
}
if(data16.planned !== undefined){
let data17 = data16.planned;
if(data17 && typeof data17 == "object" && !Array.isArray(data17)){
for(const key9 in data17){
const err40 = {instancePath:instancePath+"/modes/planned",schemaPath:"#/$defs/modes/properties/planned/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key9},message:"must NOT have additional properties",schema:false,parentSchema:schema49.properties.planned,data:data17};
if(vErrors === null){
vErrors = [err40];
}
else {
vErrors.push(err40);
}
errors++;
}
}
else {
const err41 = {instancePath:instancePath+"/modes/planned",schemaPath:"#/$defs/modes/properties/planned/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema49.properties.planned.type,parentSchema:schema49.properties.planned,data:data17};
if(vErrors === null){
vErrors = [err41];
}
else {
vErrors.push(err41);
}
errors++;
}
}
if(data16.unplanned !== undefined){
let data18 = data16.unplanned;
if(data18 && typeof data18 == "object" && !Array.isArray(data18)){
for(const key10 in data18){
if(!(key10 === "recoveryPoint")){
const err42 = {instancePath:instancePath+"/modes/unplanned",schemaPath:"#/$defs/modes/properties/unplanned/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key10},message:"must NOT have additional properties",schema:false,parentSchema:schema49.properties.unplanned,data:data18};
if(vErrors === null){
vErrors = [err42];
}
else {
vErrors.push(err42);
}
errors++;
}
}
if(data18.recoveryPoint !== undefined){
let data19 = data18.recoveryPoint;
if(typeof data19 === "string"){
if(func1(data19) < 1){
const err43 = {instancePath:instancePath+"/modes/unplanned/recoveryPoint",schemaPath:"#/$defs/modes/properties/unplanned/properties/recoveryPoint/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema49.properties.unplanned.properties.recoveryPoint,data:data19};
if(vErrors === null){
vErrors = [err43];
}
else {
vErrors.push(err43);
}
errors++;
}
}
else {
const err44 = {instancePath:instancePath+"/modes/unplanned/recoveryPoint",schemaPath:"#/$defs/modes/properties/unplanned/properties/recoveryPoint/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema49.properties.unplanned.properties.recoveryPoint.type,parentSchema:schema49.properties.unplanned.properties.recoveryPoint,data:data19};
if(vErrors === null){
vErrors = [err44];
}
else {
vErrors.push(err44);
}
errors++;
}
}
}
else {
const err45 = {instancePath:instancePath+"/modes/unplanned",schemaPath:"#/$defs/modes/properties/unplanned/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema49.properties.unplanned.type,parentSchema:schema49.properties.unplanned,data:data18};
if(vErrors === null){
vErrors = [err45];
}
else {
vErrors.push(err45);
}
errors++;
}
}
if(data16.test !== undefined){
let data20 = data16.test;
if(data20 && typeof data20 == "object" && !Array.isArray(data20)){
for(const key11 in data20){
if(!((key11 === "network") || (key11 === "cleanup"))){
const err46 = {instancePath:instancePath+"/modes/test",schemaPath:"#/$defs/modes/properties/test/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key11},message:"must NOT have additional properties",schema:false,parentSchema:schema49.properties.test,data:data20};
if(vErrors === null){
vErrors = [err46];
}
else {
vErrors.push(err46);
}
errors++;
}
}
if(data20.network !== undefined){
let data21 = data20.network;
if(typeof data21 === "string"){
if(func1(data21) < 1){
const err47 = {instancePath:instancePath+"/modes/test/network",schemaPath:"#/$defs/modes/properties/test/properties/network/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema49.properties.test.properties.network,data:data21};
if(vErrors === null){
vErrors = [err47];
}
else {
vErrors.push(err47);
}
errors++;
}
}
else {
const err48 = {instancePath:instancePath+"/modes/test/network",schemaPath:"#/$defs/modes/properties/test/properties/network/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema49.properties.test.properties.network.type,parentSchema:schema49.properties.test.properties.network,data:data21};
if(vErrors === null){
vErrors = [err48];
}
else {
vErrors.push(err48);
}
errors++;
}
}
if(data20.cleanup !== undefined){
let data22 = data20.cleanup;
if(!(((data22 === "always") || (data22 === "on-success")) || (data22 === "manual"))){
const err49 = {instancePath:instancePath+"/modes/test/cleanup",schemaPath:"#/$defs/modes/properties/test/properties/cleanup/enum",keyword:"enum",params:{allowedValues: schema49.properties.test.properties.cleanup.enum},message:"must be equal to one of the allowed values",schema:schema49.properties.test.properties.cleanup.enum,parentSchema:schema49.properties.test.properties.cleanup,data:data22};
if(vErrors === null){
vErrors = [err49];
}
else {
vErrors.push(err49);
}
errors++;
}
}
}
else {
const err50 = {instancePath:instancePath+"/modes/test",schemaPath:"#/$defs/modes/properties/test/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema49.properties.test.type,parentSchema:schema49.properties.test,data:data20};
if(vErrors === null){
vErrors = [err50];
}
else {
vErrors.push(err50);
}
errors++;
}
}
}
else {
const err51 = {instancePath:instancePath+"/modes",schemaPath:"#/$defs/modes/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema49.type,parentSchema:schema49,data:data16};
if(vErrors === null){
vErrors = [err51];
}
else {
vErrors.push(err51);
}
errors++;
}
}
if(data.prechecks !== undefined){
if(!(validate30(data.prechecks, {instancePath:instancePath+"/prechecks",parentData:data,parentDataProperty:"prechecks",rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate30.errors : appendErrors(vErrors, validate30.errors);
errors = vErrors.length;
}
}
if(data.groups !== undefined){
let data24 = data.groups;
if(Array.isArray(data24)){
if(data24.length < 1){
const err52 = {instancePath:instancePath+"/groups",schemaPath:"#/properties/groups/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items",schema:1,parentSchema:schema33.properties.groups,data:data24};
if(vErrors === null){
vErrors = [err52];
}
else {
vErrors.push(err52);
}
errors++;
}
const len2 = data24.length;
for(let i2=0; i2<len2; i2++){
if(!(validate40(data24[i2], {instancePath:instancePath+"/groups/" + i2,parentData:data24,parentDataProperty:i2,rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate40.errors : appendErrors(vErrors, validate40.errors);
errors = vErrors.length;
}
}
}
else {
const err53 = {instancePath:instancePath+"/groups",schemaPath:"#/properties/groups/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema33.properties.groups.type,parentSchema:schema33.properties.groups,data:data24};
if(vErrors === null){
vErrors = [err53];
}
else {
vErrors.push(err53);
}
errors++;
}
}
if(data.finalize !== undefined){
if(!(validate30(data.finalize, {instancePath:instancePath+"/finalize",parentData:data,parentDataProperty:"finalize",rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate30.errors : appendErrors(vErrors, validate30.errors);
errors = vErrors.length;
}
}
if(data.cleanup !== undefined){
if(!(validate30(data.cleanup, {instancePath:instancePath+"/cleanup",parentData:data,parentDataProperty:"cleanup",rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate30.errors : appendErrors(vErrors, validate30.errors);
errors = vErrors.length;
}
}
if(data.onFailure !== undefined){
if(!(validate30(data.onFailure, {instancePath:instancePath+"/onFailure",parentData:data,parentDataProperty:"onFailure",rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate30.errors : appendErrors(vErrors, validate30.errors);
errors = vErrors.length;
}
}
}
else {
const err54 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema33.type,parentSchema:schema33,data};
if(vErrors === null){
vErrors = [err54];
}
else {
vErrors.push(err54);
}
errors++;
}
validate21.errors = vErrors;
return errors === 0;
}
validate21.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};


function validate20(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
/*# sourceURL="https://drplan.dev/schemas/plan.schema.json" */;
let vErrors = null;
let errors = 0;
const evaluated0 = validate20.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.apiVersion === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "apiVersion"},message:"must have required property '"+"apiVersion"+"'",schema:schema31.required,parentSchema:schema31,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
if(data.kind === undefined){
const err1 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "kind"},message:"must have required property '"+"kind"+"'",schema:schema31.required,parentSchema:schema31,data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
if(data.metadata === undefined){
const err2 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "metadata"},message:"must have required property '"+"metadata"+"'",schema:schema31.required,parentSchema:schema31,data};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
if(data.spec === undefined){
const err3 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "spec"},message:"must have required property '"+"spec"+"'",schema:schema31.required,parentSchema:schema31,data};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
for(const key0 in data){
if(!((((key0 === "apiVersion") || (key0 === "kind")) || (key0 === "metadata")) || (key0 === "spec"))){
const err4 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema31,data};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
if(data.apiVersion !== undefined){
let data0 = data.apiVersion;
if("drplan/v1" !== data0){
const err5 = {instancePath:instancePath+"/apiVersion",schemaPath:"#/properties/apiVersion/const",keyword:"const",params:{allowedValue: "drplan/v1"},message:"must be equal to constant",schema:"drplan/v1",parentSchema:schema31.properties.apiVersion,data:data0};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
if(data.kind !== undefined){
let data1 = data.kind;
if("RecoveryPlan" !== data1){
const err6 = {instancePath:instancePath+"/kind",schemaPath:"#/properties/kind/const",keyword:"const",params:{allowedValue: "RecoveryPlan"},message:"must be equal to constant",schema:"RecoveryPlan",parentSchema:schema31.properties.kind,data:data1};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
if(data.metadata !== undefined){
let data2 = data.metadata;
if(data2 && typeof data2 == "object" && !Array.isArray(data2)){
if(data2.name === undefined){
const err7 = {instancePath:instancePath+"/metadata",schemaPath:"#/$defs/metadata/required",keyword:"required",params:{missingProperty: "name"},message:"must have required property '"+"name"+"'",schema:schema32.required,parentSchema:schema32,data:data2};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
for(const key1 in data2){
if(!((((key1 === "name") || (key1 === "description")) || (key1 === "owners")) || (key1 === "labels"))){
const err8 = {instancePath:instancePath+"/metadata",schemaPath:"#/$defs/metadata/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},message:"must NOT have additional properties",schema:false,parentSchema:schema32,data:data2};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
if(data2.name !== undefined){
let data3 = data2.name;
if(typeof data3 === "string"){
if(func1(data3) > 63){
const err9 = {instancePath:instancePath+"/metadata/name",schemaPath:"#/$defs/metadata/properties/name/maxLength",keyword:"maxLength",params:{limit: 63},message:"must NOT have more than 63 characters",schema:63,parentSchema:schema32.properties.name,data:data3};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
if(func1(data3) < 1){
const err10 = {instancePath:instancePath+"/metadata/name",schemaPath:"#/$defs/metadata/properties/name/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema32.properties.name,data:data3};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
if(!pattern4.test(data3)){
const err11 = {instancePath:instancePath+"/metadata/name",schemaPath:"#/$defs/metadata/properties/name/pattern",keyword:"pattern",params:{pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"},message:"must match pattern \""+"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"+"\"",schema:"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$",parentSchema:schema32.properties.name,data:data3};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
}
else {
const err12 = {instancePath:instancePath+"/metadata/name",schemaPath:"#/$defs/metadata/properties/name/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema32.properties.name.type,parentSchema:schema32.properties.name,data:data3};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
}
if(data2.description !== undefined){
let data4 = data2.description;
if(typeof data4 !== "string"){
const err13 = {instancePath:instancePath+"/metadata/description",schemaPath:"#/$defs/metadata/properties/description/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema32.properties.description.type,parentSchema:schema32.properties.description,data:data4};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
}
if(data2.owners !== undefined){
let data5 = data2.owners;
if(Array.isArray(data5)){
const len0 = data5.length;
for(let i0=0; i0<len0; i0++){
let data6 = data5[i0];
if(typeof data6 === "string"){
if(func1(data6) < 1){
const err14 = {instancePath:instancePath+"/metadata/owners/" + i0,schemaPath:"#/$defs/metadata/properties/owners/items/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema32.properties.owners.items,data:data6};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
}
else {
const err15 = {instancePath:instancePath+"/metadata/owners/" + i0,schemaPath:"#/$defs/metadata/properties/owners/items/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema32.properties.owners.items.type,parentSchema:schema32.properties.owners.items,data:data6};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
}
}
else {
const err16 = {instancePath:instancePath+"/metadata/owners",schemaPath:"#/$defs/metadata/properties/owners/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema32.properties.owners.type,parentSchema:schema32.properties.owners,data:data5};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
}
if(data2.labels !== undefined){
let data7 = data2.labels;
if(data7 && typeof data7 == "object" && !Array.isArray(data7)){
for(const key2 in data7){
let data8 = data7[key2];
if(typeof data8 !== "string"){
const err17 = {instancePath:instancePath+"/metadata/labels/" + key2.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/$defs/metadata/properties/labels/additionalProperties/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema32.properties.labels.additionalProperties.type,parentSchema:schema32.properties.labels.additionalProperties,data:data8};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
}
}
else {
const err18 = {instancePath:instancePath+"/metadata/labels",schemaPath:"#/$defs/metadata/properties/labels/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema32.properties.labels.type,parentSchema:schema32.properties.labels,data:data7};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
}
}
else {
const err19 = {instancePath:instancePath+"/metadata",schemaPath:"#/$defs/metadata/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema32.type,parentSchema:schema32,data:data2};
if(vErrors === null){
vErrors = [err19];
}
else {
vErrors.push(err19);
}
errors++;
}
}
if(data.spec !== undefined){
if(!(validate21(data.spec, {instancePath:instancePath+"/spec",parentData:data,parentDataProperty:"spec",rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate21.errors : appendErrors(vErrors, validate21.errors);
errors = vErrors.length;
}
}
}
else {
const err20 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema31.type,parentSchema:schema31,data};
if(vErrors === null){
vErrors = [err20];
}
else {
vErrors.push(err20);
}
errors++;
}
validate20.errors = vErrors;
return errors === 0;
}
validate20.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};

export const branch0 = validate50;

function validate50(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate50.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(typeof data === "string"){
if(func1(data) > 253){
const err0 = {instancePath,schemaPath:"#/maxLength",keyword:"maxLength",params:{limit: 253},message:"must NOT have more than 253 characters",schema:253,parentSchema:schema67,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
if(func1(data) < 1){
const err1 = {instancePath,schemaPath:"#/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema67,data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
if(!pattern27.test(data)){
const err2 = {instancePath,schemaPath:"#/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z0-9][A-Za-z0-9._-]*$"},message:"must match pattern \""+"^[A-Za-z0-9][A-Za-z0-9._-]*$"+"\"",schema:"^[A-Za-z0-9][A-Za-z0-9._-]*$",parentSchema:schema67,data};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
}
else {
const err3 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema67.type,parentSchema:schema67,data};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
validate50.errors = vErrors;
return errors === 0;
}
validate50.evaluated = {"dynamicProps":false,"dynamicItems":false};

export const branch1 = validate51;
const schema70 = {"type":"object","required":["name"],"properties":{"name":{"$ref":"#/$defs/vmName"}},"additionalProperties":{"description":"An attribute available to templates as `{{vm.<attr>}}`.","type":["string","number","boolean"]}};

function validate51(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate51.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.name === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "name"},message:"must have required property '"+"name"+"'",schema:schema70.required,parentSchema:schema70,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
for(const key0 in data){
if(!(key0 === "name")){
let data0 = data[key0];
if(((typeof data0 !== "string") && (!((typeof data0 == "number") && (isFinite(data0))))) && (typeof data0 !== "boolean")){
const err1 = {instancePath:instancePath+"/" + key0.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/additionalProperties/type",keyword:"type",params:{type: schema70.additionalProperties.type},message:"must be string,number,boolean",schema:schema70.additionalProperties.type,parentSchema:schema70.additionalProperties,data:data0};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
}
if(data.name !== undefined){
let data1 = data.name;
if(typeof data1 === "string"){
if(func1(data1) > 253){
const err2 = {instancePath:instancePath+"/name",schemaPath:"#/$defs/vmName/maxLength",keyword:"maxLength",params:{limit: 253},message:"must NOT have more than 253 characters",schema:253,parentSchema:schema67,data:data1};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
if(func1(data1) < 1){
const err3 = {instancePath:instancePath+"/name",schemaPath:"#/$defs/vmName/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema67,data:data1};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
if(!pattern27.test(data1)){
const err4 = {instancePath:instancePath+"/name",schemaPath:"#/$defs/vmName/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z0-9][A-Za-z0-9._-]*$"},message:"must match pattern \""+"^[A-Za-z0-9][A-Za-z0-9._-]*$"+"\"",schema:"^[A-Za-z0-9][A-Za-z0-9._-]*$",parentSchema:schema67,data:data1};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
else {
const err5 = {instancePath:instancePath+"/name",schemaPath:"#/$defs/vmName/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema67.type,parentSchema:schema67,data:data1};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
}
else {
const err6 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema70.type,parentSchema:schema70,data};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
validate51.errors = vErrors;
return errors === 0;
}
validate51.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};

export const branch2 = validate52;
const schema72 = {"type":"array","minItems":1,"items":{"type":"string"}};

function validate52(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate52.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(Array.isArray(data)){
if(data.length < 1){
const err0 = {instancePath,schemaPath:"#/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items",schema:1,parentSchema:schema72,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
const len0 = data.length;
for(let i0=0; i0<len0; i0++){
let data0 = data[i0];
if(typeof data0 !== "string"){
const err1 = {instancePath:instancePath+"/" + i0,schemaPath:"#/items/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema72.items.type,parentSchema:schema72.items,data:data0};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
}
else {
const err2 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema72.type,parentSchema:schema72,data};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
validate52.errors = vErrors;
return errors === 0;
}
validate52.evaluated = {"items":true,"dynamicProps":false,"dynamicItems":false};

export const branch3 = validate53;
const schema73 = {"type":"object","additionalProperties":false,"required":["script"],"properties":{"script":{"description":"Path of the script, relative to the plan file.","type":"string","minLength":1},"args":{"description":"Arguments, each passed as one argv element.","type":"array","items":{"type":"string"}}}};

function validate53(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate53.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.script === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "script"},message:"must have required property '"+"script"+"'",schema:schema73.required,parentSchema:schema73,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
for(const key0 in data){
if(!((key0 === "script") || (key0 === "args"))){
const err1 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema73,data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
if(data.script !== undefined){
let data0 = data.script;
if(typeof data0 === "string"){
if(func1(data0) < 1){
const err2 = {instancePath:instancePath+"/script",schemaPath:"#/properties/script/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema73.properties.script,data:data0};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
}
else {
const err3 = {instancePath:instancePath+"/script",schemaPath:"#/properties/script/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema73.properties.script.type,parentSchema:schema73.properties.script,data:data0};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
if(data.args !== undefined){
let data1 = data.args;
if(Array.isArray(data1)){
const len0 = data1.length;
for(let i0=0; i0<len0; i0++){
let data2 = data1[i0];
if(typeof data2 !== "string"){
const err4 = {instancePath:instancePath+"/args/" + i0,schemaPath:"#/properties/args/items/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema73.properties.args.items.type,parentSchema:schema73.properties.args.items,data:data2};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
}
else {
const err5 = {instancePath:instancePath+"/args",schemaPath:"#/properties/args/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema73.properties.args.type,parentSchema:schema73.properties.args,data:data1};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
}
else {
const err6 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema73.type,parentSchema:schema73,data};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
validate53.errors = vErrors;
return errors === 0;
}
validate53.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};

export const branch4 = validate54;

function validate54(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate54.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(typeof data === "string"){
if(!pattern5.test(data)){
const err0 = {instancePath,schemaPath:"#/pattern",keyword:"pattern",params:{pattern: "^(?=\\d)(\\d+d)?(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?$"},message:"must match pattern \""+"^(?=\\d)(\\d+d)?(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?$"+"\"",schema:"^(?=\\d)(\\d+d)?(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?$",parentSchema:schema35,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
}
else {
const err1 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema35.type,parentSchema:schema35,data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
validate54.errors = vErrors;
return errors === 0;
}
validate54.evaluated = {"dynamicProps":false,"dynamicItems":false};

export const branch5 = validate55;
const schema75 = {"description":"A template of VM attributes that gives a duration for each VM.","type":"string","pattern":"\\{\\{"};

function validate55(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate55.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(typeof data === "string"){
if(!pattern24.test(data)){
const err0 = {instancePath,schemaPath:"#/pattern",keyword:"pattern",params:{pattern: "\\{\\{"},message:"must match pattern \""+"\\{\\{"+"\"",schema:"\\{\\{",parentSchema:schema75,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
}
else {
const err1 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema75.type,parentSchema:schema75,data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
validate55.errors = vErrors;
return errors === 0;
}
validate55.evaluated = {"dynamicProps":false,"dynamicItems":false};

export const branch6 = validate56;
const schema76 = {"enum":["fail","approve"]};

function validate56(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate56.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(!((data === "fail") || (data === "approve"))){
const err0 = {instancePath,schemaPath:"#/enum",keyword:"enum",params:{allowedValues: schema76.enum},message:"must be equal to one of the allowed values",schema:schema76.enum,parentSchema:schema76,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
validate56.errors = vErrors;
return errors === 0;
}
validate56.evaluated = {"dynamicProps":false,"dynamicItems":false};

export const branch7 = validate57;
const schema77 = {"type":"object","additionalProperties":false,"required":["escalate"],"properties":{"escalate":{"description":"Ask other approvers, with their own quorum and timeout; their timeout fails the gate.","type":"object","additionalProperties":false,"required":["approvers"],"properties":{"approvers":{"description":"Approver groups or principals escalated to.","type":"array","minItems":1,"uniqueItems":true,"items":{"type":"string","minLength":1}},"quorum":{"description":"Approvals needed from them. Default: 1.","type":"integer","minimum":1},"timeout":{"description":"How long to wait for them.","$ref":"#/$defs/duration"}}}}};

function validate57(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate57.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.escalate === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "escalate"},message:"must have required property '"+"escalate"+"'",schema:schema77.required,parentSchema:schema77,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
for(const key0 in data){
if(!(key0 === "escalate")){
const err1 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema77,data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
if(data.escalate !== undefined){
let data0 = data.escalate;
if(data0 && typeof data0 == "object" && !Array.isArray(data0)){
if(data0.approvers === undefined){
const err2 = {instancePath:instancePath+"/escalate",schemaPath:"#/properties/escalate/required",keyword:"required",params:{missingProperty: "approvers"},message:"must have required property '"+"approvers"+"'",schema:schema77.properties.escalate.required,parentSchema:schema77.properties.escalate,data:data0};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
for(const key1 in data0){
if(!(((key1 === "approvers") || (key1 === "quorum")) || (key1 === "timeout"))){
const err3 = {instancePath:instancePath+"/escalate",schemaPath:"#/properties/escalate/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},message:"must NOT have additional properties",schema:false,parentSchema:schema77.properties.escalate,data:data0};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
if(data0.approvers !== undefined){
let data1 = data0.approvers;
if(Array.isArray(data1)){
if(data1.length < 1){
const err4 = {instancePath:instancePath+"/escalate/approvers",schemaPath:"#/properties/escalate/properties/approvers/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items",schema:1,parentSchema:schema77.properties.escalate.properties.approvers,data:data1};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
const len0 = data1.length;
for(let i0=0; i0<len0; i0++){
let data2 = data1[i0];
if(typeof data2 === "string"){
if(func1(data2) < 1){
const err5 = {instancePath:instancePath+"/escalate/approvers/" + i0,schemaPath:"#/properties/escalate/properties/approvers/items/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema77.properties.escalate.properties.approvers.items,data:data2};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
else {
const err6 = {instancePath:instancePath+"/escalate/approvers/" + i0,schemaPath:"#/properties/escalate/properties/approvers/items/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema77.properties.escalate.properties.approvers.items.type,parentSchema:schema77.properties.escalate.properties.approvers.items,data:data2};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
let i1 = data1.length;
let j0;
if(i1 > 1){
const indices0 = {};
for(;i1--;){
let item0 = data1[i1];
if(typeof item0 !== "string"){
continue;
}
if(typeof indices0[item0] == "number"){
j0 = indices0[item0];
const err7 = {instancePath:instancePath+"/escalate/approvers",schemaPath:"#/properties/escalate/properties/approvers/uniqueItems",keyword:"uniqueItems",params:{i: i1, j: j0},message:"must NOT have duplicate items (items ## "+j0+" and "+i1+" are identical)",schema:true,parentSchema:schema77.properties.escalate.properties.approvers,data:data1};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
break;
}
indices0[item0] = i1;
}
}
}
else {
const err8 = {instancePath:instancePath+"/escalate/approvers",schemaPath:"#/properties/escalate/properties/approvers/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema77.properties.escalate.properties.approvers.type,parentSchema:schema77.properties.escalate.properties.approvers,data:data1};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
if(data0.quorum !== undefined){
let data3 = data0.quorum;
if(!(((typeof data3 == "number") && (!(data3 % 1) && !isNaN(data3))) && (isFinite(data3)))){
const err9 = {instancePath:instancePath+"/escalate/quorum",schemaPath:"#/properties/escalate/properties/quorum/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema77.properties.escalate.properties.quorum.type,parentSchema:schema77.properties.escalate.properties.quorum,data:data3};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
if((typeof data3 == "number") && (isFinite(data3))){
if(data3 < 1 || isNaN(data3)){
const err10 = {instancePath:instancePath+"/escalate/quorum",schemaPath:"#/properties/escalate/properties/quorum/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema77.properties.escalate.properties.quorum,data:data3};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
}
}
if(data0.timeout !== undefined){
let data4 = data0.timeout;
if(typeof data4 === "string"){
if(!pattern5.test(data4)){
const err11 = {instancePath:instancePath+"/escalate/timeout",schemaPath:"#/$defs/duration/pattern",keyword:"pattern",params:{pattern: "^(?=\\d)(\\d+d)?(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?$"},message:"must match pattern \""+"^(?=\\d)(\\d+d)?(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?$"+"\"",schema:"^(?=\\d)(\\d+d)?(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?$",parentSchema:schema35,data:data4};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
}
else {
const err12 = {instancePath:instancePath+"/escalate/timeout",schemaPath:"#/$defs/duration/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema35.type,parentSchema:schema35,data:data4};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
}
}
else {
const err13 = {instancePath:instancePath+"/escalate",schemaPath:"#/properties/escalate/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema77.properties.escalate.type,parentSchema:schema77.properties.escalate,data:data0};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
}
}
else {
const err14 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema77.type,parentSchema:schema77,data};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
validate57.errors = vErrors;
return errors === 0;
}
validate57.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};


/** A validation function generated by ajv (see schema-validator.ts for how its errors are read). */
export interface GeneratedValidator {
  (data: unknown, context?: { instancePath?: string; parentData?: unknown; parentDataProperty?: string | number; rootData?: unknown }): boolean;
  errors?: ErrorObject[] | null;
}

/** The schema the validators were generated from (a copy, for wording diagnostics). */
export const planSchema: Record<string, unknown> = {"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"https://drplan.dev/schemas/plan.schema.json","title":"drplan RecoveryPlan","description":"A disaster-recovery plan: the protected VMs in ordered groups, the steps around them, the approvers who sign off gates, and the objectives the run is measured against. One plan per YAML file.","type":"object","additionalProperties":false,"required":["apiVersion","kind","metadata","spec"],"properties":{"apiVersion":{"description":"Version of the plan language. Always `drplan/v1` for now.","const":"drplan/v1","examples":["drplan/v1"]},"kind":{"description":"What this document is. Always `RecoveryPlan`.","const":"RecoveryPlan","examples":["RecoveryPlan"]},"metadata":{"$ref":"#/$defs/metadata"},"spec":{"$ref":"#/$defs/spec"}},"$defs":{"metadata":{"description":"Who the plan belongs to and how to find it.","type":"object","additionalProperties":false,"required":["name"],"properties":{"name":{"description":"The plan's name: a lowercase DNS label (letters, digits and hyphens, at most 63 characters). Runs and reports are filed under it.","type":"string","minLength":1,"maxLength":63,"pattern":"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$","examples":["payments-eu"]},"description":{"description":"One or two sentences on what the plan recovers and where to.","type":"string","examples":["Fail payments over from Amsterdam to Dublin"]},"owners":{"description":"Teams or people responsible for keeping the plan correct.","type":"array","items":{"type":"string","minLength":1},"examples":[["team-payments"]]},"labels":{"description":"Free-form string labels, for filtering and reports.","type":"object","additionalProperties":{"type":"string"},"examples":[{"tier":"1"}]}}},"spec":{"description":"What the plan protects and how each failover mode recovers it.","type":"object","additionalProperties":false,"required":["adapters","sites","groups"],"properties":{"objectives":{"$ref":"#/$defs/objectives"},"adapters":{"description":"Named adapter instances. Steps call them as `<instance>.<operation>`; `sites` names the ones that own the protected VMs.","type":"object","propertyNames":{"$ref":"#/$defs/name"},"minProperties":1,"additionalProperties":{"$ref":"#/$defs/adapterInstance"},"examples":[{"site":{"type":"simulator","config":{"seed":7}},"sh":{"type":"shell"}}]},"sites":{"$ref":"#/$defs/sites"},"parameters":{"description":"Values the plan takes at run time (`--param name=value`), available to templates as `{{params.<name>}}`.","type":"object","propertyNames":{"$ref":"#/$defs/identifier"},"additionalProperties":{"$ref":"#/$defs/parameter"},"examples":[{"dnsName":{"type":"string","default":"pay.example.com"}}]},"approvers":{"description":"Named groups of principals. Gates and manual steps name these groups (or principals directly); each principal signs with their own key.","type":"object","propertyNames":{"$ref":"#/$defs/name"},"additionalProperties":{"description":"The principals in this group.","type":"array","minItems":1,"items":{"$ref":"#/$defs/principal"}},"examples":[{"dba":["alice","bob"],"change-board":["carol","dave","erin"]}]},"approverKeys":{"description":"Folder holding each principal's public key as `<principal>.pub`, relative to the plan file. Default: `approvers/` next to the plan.","type":"string","minLength":1,"examples":["approvers/"]},"notifications":{"$ref":"#/$defs/notifications"},"modes":{"$ref":"#/$defs/modes"},"prechecks":{"description":"Steps run before anything changes. In `unplanned` mode they tolerate an unreachable source: a failed precheck is reported and the run goes on, unless the step sets `onFailure` itself.","$ref":"#/$defs/steps"},"groups":{"description":"Ordered groups of protected VMs. Each group depends on the one before it unless it names `dependsOn`.","type":"array","minItems":1,"items":{"$ref":"#/$defs/group"}},"finalize":{"description":"Steps run after every group has recovered: DNS, load balancers, announcements.","$ref":"#/$defs/steps"},"cleanup":{"description":"Test mode only: steps run after each VM's `cleanupTest`, according to `modes.test.cleanup`.","$ref":"#/$defs/steps"},"onFailure":{"description":"Steps run once when a run ends failed or cancelled.","$ref":"#/$defs/steps"}}},"objectives":{"description":"Recovery objectives the run is measured against. `drplan plan` checks the critical path against `rto`; reports show what was achieved.","type":"object","additionalProperties":false,"properties":{"rto":{"description":"Recovery time objective: the longest the recovery may take.","$ref":"#/$defs/duration"},"rpo":{"description":"Recovery point objective: the most recent data the business accepts to lose.","$ref":"#/$defs/duration"}},"examples":[{"rto":"30m","rpo":"5m"}]},"adapterInstance":{"description":"One named adapter instance: its type and the configuration that type declares.","type":"object","additionalProperties":false,"required":["type"],"properties":{"type":{"description":"The adapter type: `simulator`, `shell`, or any type an installed adapter registers.","type":"string","minLength":1,"examples":["simulator","shell"]},"description":{"description":"What this instance talks to.","type":"string"},"config":{"description":"Configuration for the adapter type, checked against the schema that type declares.","type":"object","examples":[{"seed":7,"operations":{"setAlias":{"estimate":"30s"}}}]},"estimates":{"description":"Expected duration of each operation of this instance, used for the critical path and RTO check, and by the simulator when a dry-run stands in for this instance.","type":"object","additionalProperties":{"$ref":"#/$defs/duration"},"examples":[{"failover":"2m","start":"45s"}]}}},"sites":{"description":"The adapter instances that own the protected VMs: `source` is shut down and synced in planned mode; `target` fails over, starts, and runs test failovers.","type":"object","additionalProperties":false,"required":["source","target"],"properties":{"source":{"description":"Adapter instance of the site being left.","$ref":"#/$defs/name"},"target":{"description":"Adapter instance of the site being recovered to.","$ref":"#/$defs/name"}},"examples":[{"source":"site","target":"site"}]},"parameter":{"description":"A run-time parameter.","type":"object","additionalProperties":false,"required":["type"],"properties":{"type":{"description":"The parameter's type; `--param` values are converted to it.","enum":["string","number","integer","boolean"]},"description":{"description":"What the parameter is for.","type":"string"},"default":{"description":"Value used when the run does not set the parameter. Without a default the parameter is required.","type":["string","number","boolean"]},"enum":{"description":"The only values allowed.","type":"array","minItems":1,"items":{"type":["string","number","boolean"]}}},"examples":[{"type":"string","default":"pay.example.com"}]},"notifications":{"description":"Where to announce that a gate or manual step is waiting.","type":"object","additionalProperties":false,"properties":{"webhook":{"description":"An HTTP endpoint called (POST, JSON) when a gate or manual step starts waiting.","type":"object","additionalProperties":false,"required":["url"],"properties":{"url":{"description":"The endpoint (http or https). It receives a JSON body: the run, the step, its rendered instructions, who may act, the deadline and the approval link.","type":"string","minLength":1},"headers":{"description":"Extra headers. Values of the form `env:NAME` are read from the environment at run time, so secrets stay out of the plan.","type":"object","additionalProperties":{"type":"string"}},"timeout":{"description":"How long one call may take.","$ref":"#/$defs/duration"}}},"approvalUrl":{"description":"Base URL of `drplan serve` as approvers reach it; the approval link is built from it.","type":"string","examples":["https://drplan.internal.example.com"]}}},"modes":{"description":"The failover modes this plan supports and their settings. A mode not declared here cannot be run.","type":"object","additionalProperties":false,"minProperties":1,"properties":{"planned":{"description":"Planned failover (planned migration, 'apply target queue'): shut the source down, sync the last changes, then fail over with no data loss.","type":"object","additionalProperties":false,"properties":{}},"unplanned":{"description":"Unplanned failover (forced failover, disaster recovery, 'discard target queue'): the source is gone; recover from a recovery point and record the data lost.","type":"object","additionalProperties":false,"properties":{"recoveryPoint":{"description":"Which recovery point to fail over from: `latest`, `latest-app-consistent`, or a recovery point id or ISO-8601 time.","type":"string","minLength":1,"default":"latest","examples":["latest","latest-app-consistent","2026-11-23T08:00:00Z"]}}},"test":{"description":"Test failover (drill): recover copies into an isolated network without touching production or its replication, then clean up.","type":"object","additionalProperties":false,"properties":{"network":{"description":"The isolated network test copies are attached to.","type":"string","minLength":1,"examples":["drill-net"]},"cleanup":{"description":"When to clean up: `always` (even after a failure or cancel), `on-success`, or `manual` (leave the copies for inspection).","enum":["always","on-success","manual"],"default":"always"}}}},"examples":[{"planned":{},"unplanned":{"recoveryPoint":"latest"},"test":{"network":"drill-net","cleanup":"always"}}]},"group":{"description":"A group of VMs that fail over together: its `pre` steps, then the mode's operations on every VM (at most `concurrency` at once), then its `post` steps.","type":"object","additionalProperties":false,"required":["id"],"properties":{"id":{"description":"The group's id, unique in the plan.","$ref":"#/$defs/id"},"name":{"description":"A human-readable name.","type":"string"},"description":{"description":"What the group holds.","type":"string"},"dependsOn":{"description":"Groups that must finish before this one starts. Without it a group depends on the group before it; with it, independent groups fail over at the same time.","type":"array","items":{"$ref":"#/$defs/id"},"uniqueItems":true,"examples":[["database"]]},"vms":{"description":"The protected VMs: names, or objects with a `name` and any attributes templates may use as `{{vm.<attr>}}`.","type":"array","items":{"$ref":"#/$defs/vm"},"examples":[["pg-1","pg-2"],[{"name":"app-1","ip":"10.0.0.11"}]]},"concurrency":{"description":"How many VM operations of this group run at once. Default: all of them.","type":"integer","minimum":1,"examples":[2]},"pre":{"description":"Steps run before the group's VM operations.","$ref":"#/$defs/steps"},"post":{"description":"Steps run after the group's VM operations.","$ref":"#/$defs/steps"}}},"vm":{"description":"A protected VM, by name or as an object with attributes.","anyOf":[{"$ref":"#/$defs/vmName"},{"type":"object","required":["name"],"properties":{"name":{"$ref":"#/$defs/vmName"}},"additionalProperties":{"description":"An attribute available to templates as `{{vm.<attr>}}`.","type":["string","number","boolean"]}}]},"vmName":{"description":"A VM name: letters, digits, dots, underscores and hyphens.","type":"string","minLength":1,"maxLength":253,"pattern":"^[A-Za-z0-9][A-Za-z0-9._-]*$","examples":["pg-1","app-1.prod.example.com"]},"steps":{"type":"array","items":{"$ref":"#/$defs/step"}},"step":{"description":"One step. Exactly one of `action`, `run`, `gate` or `manual` says what it does.","type":"object","additionalProperties":false,"properties":{"id":{"description":"Unique in the plan. Generated from the step's position when omitted, but an explicit id survives edits and is what operators type.","$ref":"#/$defs/id"},"name":{"description":"A human-readable name.","type":"string"},"description":{"description":"Why the step exists.","type":"string"},"action":{"description":"Calls an adapter operation: `<instance>.<operation>`.","type":"string","pattern":"^[A-Za-z][A-Za-z0-9_-]*\\.[A-Za-z][A-Za-z0-9_]*$","examples":["site.replicationHealth","dns.setAlias"]},"with":{"description":"Input of the action, checked against the schema its operation declares. Strings may use templates.","type":"object","examples":[{"name":"{{params.dnsName}}","site":"recovery"}]},"run":{"description":"Runs a local command through the shell adapter: an argv list (never re-parsed by a shell) or a script with arguments. Each element may use templates.","anyOf":[{"type":"array","minItems":1,"items":{"type":"string"}},{"type":"object","additionalProperties":false,"required":["script"],"properties":{"script":{"description":"Path of the script, relative to the plan file.","type":"string","minLength":1},"args":{"description":"Arguments, each passed as one argv element.","type":"array","items":{"type":"string"}}}}],"examples":[["./scripts/smoke.sh","{{group.id}}"],{"script":"scripts/flush.sh","args":["--all"]}]},"gate":{"$ref":"#/$defs/gate"},"manual":{"$ref":"#/$defs/manual"},"modes":{"description":"The modes this step runs in. Default: all. `drplan plan` shows it as skipped in the others.","type":"array","minItems":1,"uniqueItems":true,"items":{"enum":["planned","unplanned","test"]},"examples":[["planned","unplanned"]]},"timeout":{"description":"How long one attempt may take before it is aborted and counts as failed.","$ref":"#/$defs/duration"},"retry":{"$ref":"#/$defs/retry"},"onFailure":{"description":"What a failure does after the retries are spent: `abort` the run (default), `continue` with the next step, or `pause` for an operator to retry, skip or abort.","enum":["abort","continue","pause"],"default":"abort"},"estimate":{"description":"Expected duration, used for the critical path and RTO check, by the simulator, and to start the longest work first. In a `forEach: vm` step it may be a template of VM attributes, worked out per VM before the run (`\"{{vm.restoreTime}}\"`), so that each VM's copy has its own estimate.","anyOf":[{"$ref":"#/$defs/duration"},{"description":"A template of VM attributes that gives a duration for each VM.","type":"string","pattern":"\\{\\{"}],"examples":["2m","{{vm.restoreTime}}"]},"forEach":{"description":"`vm`: in a group, run the step once per VM of the group (as `<step-id>/<vm>`), at most the group's `concurrency` at once.","const":"vm"}}},"retry":{"description":"Retry policy for failed attempts: wait `backoff`, then `backoff × factor`, … up to `attempts` attempts in all.","type":"object","additionalProperties":false,"required":["attempts"],"properties":{"attempts":{"description":"Attempts in all, the first included.","type":"integer","minimum":1,"maximum":100},"backoff":{"description":"Wait before the second attempt. Default: 0s.","$ref":"#/$defs/duration"},"factor":{"description":"Multiplier applied to the wait after each failed attempt. Default: 1.","type":"number","minimum":1,"maximum":10},"maxBackoff":{"description":"Upper bound of one wait.","$ref":"#/$defs/duration"}},"examples":[{"attempts":3,"backoff":"10s","factor":2}]},"gate":{"description":"Pauses the run until a quorum of distinct authorised principals approves. Any rejection fails the gate.","type":"object","additionalProperties":false,"required":["approvers"],"properties":{"approvers":{"description":"Approver groups (from `spec.approvers`) or principals who may sign off.","type":"array","minItems":1,"uniqueItems":true,"items":{"type":"string","minLength":1},"examples":[["dba"]]},"quorum":{"description":"How many distinct principals must approve. Default: 1.","type":"integer","minimum":1,"default":1},"timeout":{"description":"How long the gate waits for a decision.","$ref":"#/$defs/duration"},"onTimeout":{"description":"What happens when the timeout passes: `fail` (default), `approve` (an explicit opt-in, recorded as approved by timeout), or `escalate` to other approvers.","anyOf":[{"enum":["fail","approve"]},{"type":"object","additionalProperties":false,"required":["escalate"],"properties":{"escalate":{"description":"Ask other approvers, with their own quorum and timeout; their timeout fails the gate.","type":"object","additionalProperties":false,"required":["approvers"],"properties":{"approvers":{"description":"Approver groups or principals escalated to.","type":"array","minItems":1,"uniqueItems":true,"items":{"type":"string","minLength":1}},"quorum":{"description":"Approvals needed from them. Default: 1.","type":"integer","minimum":1},"timeout":{"description":"How long to wait for them.","$ref":"#/$defs/duration"}}}}}],"default":"fail","examples":["fail",{"escalate":{"approvers":["change-board"],"quorum":1,"timeout":"15m"}}]},"instructions":{"description":"What the approvers must check before deciding. May use templates.","type":"string"},"allowInitiator":{"description":"Whether the principal who started the run may approve it. Default: false.","type":"boolean","default":false}}},"manual":{"description":"A task done by hand; the run waits until one assignee marks it done.","type":"object","additionalProperties":false,"required":["instructions"],"properties":{"instructions":{"description":"What to do, precisely enough to do it under stress. May use templates.","type":"string","minLength":1},"assignees":{"description":"Approver groups or principals who may mark the task done. Default: anyone with a key in the plan.","type":"array","minItems":1,"uniqueItems":true,"items":{"type":"string","minLength":1}},"timeout":{"description":"How long to wait before the step fails.","$ref":"#/$defs/duration"}}},"duration":{"description":"A duration such as `90s`, `30m`, `2h`, `1h30m`, `1d` or `500ms`.","type":"string","pattern":"^(?=\\d)(\\d+d)?(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?$","examples":["90s","30m","1h30m"]},"id":{"description":"An id: letters, digits, underscores and hyphens (no dots or slashes, which drplan uses to build step ids).","type":"string","minLength":1,"maxLength":100,"pattern":"^[A-Za-z0-9][A-Za-z0-9_-]*$"},"name":{"type":"string","minLength":1,"maxLength":63,"pattern":"^[A-Za-z][A-Za-z0-9_-]*$"},"identifier":{"type":"string","pattern":"^[A-Za-z_][A-Za-z0-9_]*$"},"principal":{"description":"A principal's name; their public key is `<principal>.pub` in `approverKeys`.","type":"string","minLength":1,"maxLength":100,"pattern":"^[A-Za-z0-9][A-Za-z0-9._@-]*$"}}};

/** Validates a whole plan document. */
export const planValidator: GeneratedValidator = validatePlan;

/** Validators of each anyOf/oneOf branch, by JSON pointer inside the plan schema. */
export const planBranchValidators: Readonly<Record<string, GeneratedValidator>> = {
  "/$defs/vm/anyOf/0": branch0,
  "/$defs/vm/anyOf/1": branch1,
  "/$defs/step/properties/run/anyOf/0": branch2,
  "/$defs/step/properties/run/anyOf/1": branch3,
  "/$defs/step/properties/estimate/anyOf/0": branch4,
  "/$defs/step/properties/estimate/anyOf/1": branch5,
  "/$defs/gate/properties/onTimeout/anyOf/0": branch6,
  "/$defs/gate/properties/onTimeout/anyOf/1": branch7,
};
