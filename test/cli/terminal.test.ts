import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { frozenWarnings } from '../../src/cli/terminal.ts';

describe('the warning for work left pending at a freeze', () => {
  test('names the function, the invocation and what was left; once per function and kind of leftover', () => {
    const printed: string[] = [];
    const warn = frozenWarnings((line) => printed.push(line));
    warn('orders', 'req-1', ['Timeout', 'TCPSocketWrap', 'Timeout']);
    warn('orders', 'req-2', ['TCPSocketWrap', 'Timeout']);
    warn('orders', undefined, ['FSReqCallback']);
    warn('health', 'req-3', ['Timeout']);
    assert.equal(printed.length, 3, printed.join('\n'));
    assert.match(
      printed[0],
      /\[orders\] work still pending after its answer to req-1 \(2 × Timeout, 1 × TCPSocketWrap\)/,
    );
    assert.match(printed[0], /Lambda freezes the environment once it has answered/);
    assert.match(printed[1], /\[orders\] work still pending after its init \(1 × FSReqCallback\)/);
    assert.match(printed[2], /\[health\] .*req-3/);
  });
});
