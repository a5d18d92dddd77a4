import { describe, expect, it } from 'vitest';
import { dataLossFrom, parseCommits } from '../../../../adapters/postgres/data-loss.js';
import { parseLsn } from '../../../../adapters/postgres/lsn.js';
import { parseHistory } from '../../../../adapters/postgres/timeline.js';

// Lines as pg_waldump 15 prints them (TZ=UTC), taken from the lab.
const WALDUMP = `
rmgr: Heap        len (rec/tot):     79/    79, tx:       2167, lsn: 0/00845CF0, prev 0/00845CC8, desc: INSERT off 30 flags 0x00, blkref #0: rel 1663/5/16384 blk 9
rmgr: Transaction len (rec/tot):     34/    34, tx:       2167, lsn: 0/00845D80, prev 0/00845D40, desc: COMMIT 2026-11-23 18:10:27.122134 UTC
rmgr: Transaction len (rec/tot):     34/    34, tx:       2176, lsn: 0/00846410, prev 0/008463D0, desc: COMMIT 2026-11-23 18:10:27.198338 UTC
rmgr: Transaction len (rec/tot):     66/    66, tx:       2177, lsn: 0/008464C8, prev 0/00846488, desc: COMMIT 2026-11-23 18:10:27.205204 UTC; inval msgs: catcache 7 catcache 6
rmgr: Transaction len (rec/tot):     34/    34, tx:       2178, lsn: 0/00846580, prev 0/00846540, desc: ABORT 2026-11-23 18:10:27.209 UTC
rmgr: Transaction len (rec/tot):     34/    34, tx:       2179, lsn: 0/00846600, prev 0/00846580, desc: COMMIT 2026-11-23 18:10:27.21 UTC
pg_waldump: error: error in WAL record at 0/846600: invalid record length at 0/846628: wanted 24, got 0
`;

const at = (iso: string) => Date.parse(iso);

describe('commits read from pg_waldump', () => {
  it('keeps COMMIT records with their LSN and microsecond time, skips aborts and other records', () => {
    const commits = parseCommits(WALDUMP);
    expect(commits.map((c) => c.lsn)).toEqual([0x845d80n, 0x846410n, 0x8464c8n, 0x846600n]);
    expect(commits[0]!.atMs).toBeCloseTo(at('2026-11-23T18:10:27.122Z') + 0.134, 6);
    expect(commits[3]!.atMs).toBe(at('2026-11-23T18:10:27.210Z'));
  });
});

describe('data loss at a switch point', () => {
  const commits = parseCommits(WALDUMP);

  it('nothing after the switch point: nothing lost, a window of zero', () => {
    expect(dataLossFrom(commits, parseLsn('0/846628')!, undefined)).toEqual({
      recoveryPointTime: '2026-11-23T18:10:27.210000Z',
      lostTransactions: 0,
      dataLossWindowSeconds: 0,
      dataLossBasis: 'old-primary-wal',
    });
  });

  it('commits at or after the switch point are lost; the window runs from the last kept commit to the last lost one', () => {
    const loss = dataLossFrom(commits, parseLsn('0/846410')!, undefined);
    expect(loss).toMatchObject({
      recoveryPointTime: '2026-11-23T18:10:27.122134Z',
      lostTransactions: 3,
      firstLostCommitAt: '2026-11-23T18:10:27.198338Z',
      lastLostCommitAt: '2026-11-23T18:10:27.210000Z',
      dataLossBasis: 'old-primary-wal',
    });
    expect(loss.dataLossWindowSeconds).toBeCloseTo(0.087866, 6);
  });

  it('no kept commit in the WAL read: the standby’s last replay time stands in; without it the window is a lower bound', () => {
    const lost = commits.slice(1);
    const replayedAt = at('2026-11-23T18:10:27.100Z');
    expect(dataLossFrom(lost, 0n, replayedAt)).toMatchObject({ lostTransactions: 3, dataLossWindowSeconds: 0.11, dataLossBasis: 'old-primary-wal' });
    expect(dataLossFrom(lost, 0n, undefined)).toMatchObject({ lostTransactions: 3, dataLossBasis: 'old-primary-wal-lower-bound' });
    expect(dataLossFrom(lost, 0n, undefined).dataLossWindowSeconds).toBeCloseTo(0.011662, 6);
  });
});

describe('timeline history', () => {
  it('reads the switch point of the newest timeline', () => {
    expect(parseHistory('1\t0/8465A8\tno recovery target specified\n')).toEqual({ timeline: 1, lsn: '0/8465A8' });
    expect(parseHistory('1\t0/3000000\tno recovery target specified\n\n2\t0/5000148\tno recovery target specified\n')).toEqual({ timeline: 2, lsn: '0/5000148' });
    expect(parseHistory('')).toBeUndefined();
  });
});
