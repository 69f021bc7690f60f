import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { frozenWarnings, labelledLines } from '../../src/cli/terminal.ts';

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

describe("a region's lines in a two-region gantry dev", () => {
  test('every line starts with the label, the lines of a stack trace included', () => {
    const printed: string[] = [];
    const print = labelledLines('us-west-2', (line) => printed.push(line));
    print('[orders] START RequestId: r-1 Version: $LATEST');
    print('[orders] ERROR Invoke Error\n    at handler (orders.ts:3:9)\n    at run');
    assert.deepEqual(printed.join('\n').split('\n'), [
      'us-west-2 [orders] START RequestId: r-1 Version: $LATEST',
      'us-west-2 [orders] ERROR Invoke Error',
      'us-west-2     at handler (orders.ts:3:9)',
      'us-west-2     at run',
    ]);
  });
});
