import { parseDuration } from '../model/duration.js';
import type { Plan } from '../model/plan.js';
import { toPointer } from '../model/plan-source.js';
import type { DiagnosticSink } from './diagnostic-sink.js';

/** No plan needs to wait longer than this; anything beyond is a typo, and would overflow. */
export const MAX_DURATION_MS = 3650 * 86_400_000;
const DURATION_KEYS = new Set(['rto', 'rpo', 'timeout', 'estimate', 'backoff', 'maxBackoff']);

/**
 * The schema accepts any run of digits in a duration; a value too large to be meant (or to be
 * represented) must be reported, never silently dropped into "no timeout" or "no RTO".
 */
export function checkDurations(plan: Plan, sink: DiagnosticSink): void {
  const walk = (node: unknown, path: (string | number)[], underEstimates: boolean): void => {
    if (Array.isArray(node)) return node.forEach((v, i) => walk(v, [...path, i], false));
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      // Adapter configs are checked against the adapter's own schema.
      if (path.length === 3 && path[1] === 'adapters' && key === 'config') continue;
      const here = [...path, key];
      if (typeof value === 'string' && (DURATION_KEYS.has(key) || underEstimates)) {
        const ms = parseDuration(value);
        if (/^\d/.test(value) && (ms === undefined || ms > MAX_DURATION_MS)) {
          sink.report('INVALID_DURATION', toPointer(here), `${here.slice(1).join('.')}: ${value} is longer than drplan supports (10 years)`, {
            hint: 'check the number; durations are written like 90s, 30m, 2h, 1h30m or 7d',
          });
        }
      } else walk(value, here, key === 'estimates');
    }
  };
  walk(plan.document.spec, ['spec'], false);
}
