import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { frozenWarnings } from '../../src/cli/terminal.ts';

describe('the warning for work left pending at a freeze', () => {
  test('names the function, the invocation and what was left; once per function and kind of leftover', () => {
    const printed: string[] = [];
    const warn = frozenWarnings((line) => printed.push(line));
    warn('orders', 'req-1', ['Timeout', 'TCPSocketWrap', 'Timeout']);
    warn('orders', 'req-2', ['TCPSocketWrap', 'Timeout']);
    warn('health', 'req-3', ['Timeout', 'FSReqPromise']);
    warn('health', 'req-4', ['FSReqPromise', 'FSReqCallback']);
    warn('health', undefined, ['GetAddrInfoReqWrap']);
    assert.equal(printed.length, 3, printed.join('\n'));
    assert.match(
      printed[0],
      /\[orders\] work still pending after its answer to req-1 \(2 × Timeout, 1 × TCPSocketWrap\)/,
    );
    assert.match(printed[0], /Lambda freezes the environment once it has answered/);
    // File operations alone (the AWS SDK reading ~/.aws/config) are not worth a warning.
    assert.match(printed[1], /\[health\] work still pending after its answer to req-3 \(1 × Timeout\)/);
    assert.match(printed[2], /\[health\] work still pending after its init \(1 × GetAddrInfoReqWrap\)/);
  });
});
