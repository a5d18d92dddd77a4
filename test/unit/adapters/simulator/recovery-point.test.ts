import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { APP_CONSISTENT_EXTRA_MS, resolveRecoveryPoint } from '../../../../adapters/simulator/index.js';

const NOW = Date.parse('2024-05-01T08:00:00.000Z');

describe('resolveRecoveryPoint', () => {
  it('puts latest one data-loss window back', () => {
    expect(resolveRecoveryPoint('latest', NOW, 30_000)).toEqual({ recoveryPoint: '2024-05-01T07:59:30.000Z', dataLossWindowSeconds: 30 });
  });

  it('puts latest-app-consistent further back than latest', () => {
    const appConsistent = resolveRecoveryPoint('latest-app-consistent', NOW, 30_000);
    expect(appConsistent).toEqual({ recoveryPoint: '2024-05-01T07:54:30.000Z', dataLossWindowSeconds: 330 });
    expect(APP_CONSISTENT_EXTRA_MS).toBe(300_000);
  });

  it('uses an ISO time as given and measures the loss from it', () => {
    expect(resolveRecoveryPoint('2024-05-01T07:00:00Z', NOW, 30_000)).toEqual({ recoveryPoint: '2024-05-01T07:00:00Z', dataLossWindowSeconds: 3600 });
    expect(resolveRecoveryPoint('2024-05-01T09:00:00+02:00', NOW, 0)).toEqual({
      recoveryPoint: '2024-05-01T09:00:00+02:00',
      dataLossWindowSeconds: 3600,
    });
    expect(resolveRecoveryPoint('2024-04-30', NOW, 0)).toMatchObject({ dataLossWindowSeconds: 32 * 3600 });
  });

  it('treats anything else as a recovery point id', () => {
    for (const id of ['rp-42', '2024-13-45T99:00:00Z', '17']) {
      expect(resolveRecoveryPoint(id, NOW, 30_000)).toEqual({ recoveryPoint: id, dataLossWindowSeconds: 30 });
    }
  });

  it('refuses a time newer than the newest replicated data', () => {
    expect(() => resolveRecoveryPoint('2024-05-01T07:59:45Z', NOW, 30_000)).toThrow(
      'no recovery point at 2024-05-01T07:59:45Z: the newest replicated data is from 2024-05-01T07:59:30.000Z',
    );
  });

  it('never reports a negative data-loss window (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 * 86_400_000 }),
        fc.integer({ min: 0, max: 86_400_000 }),
        fc.integer({ min: 0, max: 30 * 86_400_000 }),
        (windowMs, extraMs, backMs) => {
          for (const requested of ['latest', 'latest-app-consistent', new Date(NOW - windowMs - extraMs).toISOString(), `rp-${backMs}`]) {
            const { dataLossWindowSeconds } = resolveRecoveryPoint(requested, NOW, windowMs);
            expect(dataLossWindowSeconds).toBeGreaterThanOrEqual(windowMs / 1000);
          }
        },
      ),
    );
  });
});
