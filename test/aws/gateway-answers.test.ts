import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GATEWAY_ANSWERS, GATEWAY_MESSAGES, gatewayBody } from '../../src/aws/gateway-answers.ts';
import { AUTHORIZER_ERRORS } from '../../src/gateway/authorizers/answers.ts';
import { GATEWAY_ERRORS } from '../../src/gateway/errors.ts';

test('one wording per status: no two answers of the same status say different things', () => {
  for (const row of Object.values(GATEWAY_ANSWERS)) assert.equal(GATEWAY_MESSAGES[row.status], row.message);
});

test('the bodies the export writes are byte for byte the ones gantry dev serves', () => {
  for (const served of [...Object.values(GATEWAY_ERRORS), ...Object.values(AUTHORIZER_ERRORS)]) {
    assert.equal(served.body.toString(), gatewayBody(served.status as keyof typeof GATEWAY_MESSAGES));
  }
  assert.equal(gatewayBody(404), '{"message":"Not Found"}');
  assert.equal(GATEWAY_ERRORS.serviceUnavailable.contentType, undefined);
});
