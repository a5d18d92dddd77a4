import { describe, expect, it } from 'vitest';
import { parseFaultOption } from '../../../../adapters/simulator/index.js';

describe('parseFaultOption', () => {
  it.each([
    ['failover', { operation: 'failover' }],
    ['failover:pg-1', { operation: 'failover', vm: 'pg-1' }],
    ['failover:pg-1:3', { operation: 'failover', vm: 'pg-1', times: 3 }],
    ['failover:2', { operation: 'failover', times: 2 }],
    ['failover::2', { operation: 'failover', times: 2 }],
    ['failover:42:1', { operation: 'failover', vm: '42', times: 1 }],
    ['start:app-1.prod.example.com', { operation: 'start', vm: 'app-1.prod.example.com' }],
    ['deactivateDevice', { operation: 'deactivateDevice' }],
    ['  sync:pg-2  ', { operation: 'sync', vm: 'pg-2' }],
  ])('parses %s', (text, fault) => {
    expect(parseFaultOption(text)).toEqual({ ok: true, fault });
  });

  it('takes an instance prefix apart from the operation', () => {
    expect(parseFaultOption('array.deactivateDevice:2')).toEqual({
      ok: true,
      instance: 'array',
      fault: { operation: 'deactivateDevice', times: 2 },
    });
  });

  it.each([
    ['', 'the operation is missing'],
    [':pg-1', 'the operation is missing'],
    ['failover:pg-1:2:x', 'too many ":"-separated parts'],
    ['fail-over', '"fail-over" is not an operation name'],
    ['site.', '"" is not an operation name'],
    ['1site.failover', '"1site" is not an adapter instance name'],
    ['a.b.c', '"b.c" is not an operation name'],
    ['failover:', 'the VM after ":" is empty'],
    ['failover:-pg', '"-pg" is not a VM name'],
    ['failover:pg-1:0', 'times must be a whole number from 1, got "0"'],
    ['failover:pg-1:two', 'times must be a whole number from 1, got "two"'],
    ['failover:pg-1:-1', 'times must be a whole number from 1, got "-1"'],
    ['failover:pg-1:', 'times must be a whole number from 1, got ""'],
    ['failover:pg-1:99999999999999999999', 'times must be a whole number from 1'],
  ])('refuses %j with a message saying why', (text, why) => {
    const result = parseFaultOption(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain(`--fault "${text}"`);
    expect(result.message).toContain(why);
  });

  it('shows the syntax when the shape is wrong', () => {
    const result = parseFaultOption('a:b:c:d');
    expect(result).toEqual({
      ok: false,
      message:
        '--fault "a:b:c:d": too many ":"-separated parts; expected [instance.]operation[:vm][:times], e.g. failover, failover:pg-1, failover:pg-1:2 or site.failover:3',
    });
  });
});
