import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { StoreLock } from '../../src/store/lock.ts';

describe('StoreLock', () => {
  test('ordinary requests enter at once and together while no transaction is about', () => {
    const lock = new StoreLock();
    const entered: string[] = [];
    lock.shared(() => entered.push('a'));
    lock.shared(() => entered.push('b'));
    assert.deepEqual(entered, ['a', 'b']);
  });

  test('a transaction waits for the requests before it; requests after it wait for it (first come, first served)', () => {
    const lock = new StoreLock();
    const log: string[] = [];
    const releases: Record<string, () => void> = {};
    lock.shared((release) => {
      log.push('read-1 in');
      releases.read1 = release;
    });
    lock.exclusive((release) => {
      log.push('tx in');
      releases.tx = release;
    });
    lock.shared((release) => {
      log.push('read-2 in');
      releases.read2 = release;
    });
    assert.deepEqual(log, ['read-1 in'], 'the transaction waits for read-1, read-2 waits behind the transaction');
    releases.read1();
    assert.deepEqual(log, ['read-1 in', 'tx in']);
    releases.tx();
    releases.tx();
    assert.deepEqual(log, ['read-1 in', 'tx in', 'read-2 in'], 'a second release changes nothing');
    releases.read2();
    lock.exclusive(() => log.push('tx-2 in'));
    assert.equal(log.at(-1), 'tx-2 in', 'an idle store admits a transaction at once');
  });
});
