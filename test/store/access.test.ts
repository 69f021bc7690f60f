// Least-privilege tables: a function's declared access is what its deployed role grants, and what
// the embedded store enforces locally (DynamoDB's AccessDeniedException, through a real SDK client).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { tableActions } from '../../src/aws/table-access.ts';
import { createRuntime, type InvokeResult, type Runtime } from '../../src/runtime/index.ts';
import { type Store, startStore, tableAccessPolicy } from '../../src/store/index.ts';
import { inlineConfig, resourcesOfType, synthesize } from '../infra/helpers.ts';
import { configFor, tempBuildDir } from '../runtime/helpers.ts';

const build = tempBuildDir();
const config = configFor(
  {
    readerPut: { handler: 'handlers/table-access.put', tables: { notes: 'read' } },
    readerGet: { handler: 'handlers/table-access.get', tables: { notes: 'read' } },
    writerPut: { handler: 'handlers/table-access.put', tables: { notes: 'read-write' } },
  },
  { tables: { notes: { partitionKey: 'id' } } },
);
let store: Store;
let runtime: Runtime;

function payload(result: InvokeResult): unknown {
  assert.equal(result.outcome.status, 'success', JSON.stringify(result.outcome));
  return JSON.parse((result.outcome as { payload: string }).payload);
}

before(async () => {
  store = await startStore({ tables: Object.values(config.tables) });
  store.access = tableAccessPolicy(config);
  runtime = createRuntime(config, { buildDir: build.dir, environment: { AWS_ENDPOINT_URL_DYNAMODB: store.endpoint } });
  await runtime.start();
});
after(async () => {
  await runtime.stop();
  await store.close();
  build.remove();
});

describe('table access under gantry dev', () => {
  test("a read-only function's PutItem is refused with AccessDeniedException, as IAM refuses it", async () => {
    assert.deepEqual(payload(await runtime.invoke('readerPut', '{"id":"n1"}')), {
      name: 'AccessDeniedException',
      message: `User: arn:aws:sts::123456789012:assumed-role/readerPut-role/readerPut is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:us-east-1:123456789012:table/notes because no identity-based policy allows the dynamodb:PutItem action`,
    });
    assert.equal(payload(await runtime.invoke('readerGet', '{"id":"n1"}')), null, 'nothing was written');
  });

  test('a read-write function writes; the read-only one reads what it wrote', async () => {
    assert.equal(payload(await runtime.invoke('writerPut', '{"id":"n2"}')), 'stored');
    assert.equal(payload(await runtime.invoke('readerGet', '{"id":"n2"}')), 'n2');
  });
});

describe('table access deployed', () => {
  test("the read-only function's role has no write action on the table", () => {
    const s = synthesize(
      inlineConfig({
        name: 'notes',
        functions: {
          reader: { handler: 'src/items.handler', tables: { notes: 'read' } },
          writer: { handler: 'src/items.handler', tables: { notes: 'write' }, runtime: 'nodejs22.x' },
        },
        routes: { 'GET /notes': 'reader', 'POST /notes': 'writer' },
        tables: { notes: { partitionKey: 'id' } },
      }),
      { bundle: false, nag: false },
    );
    try {
      const policies = resourcesOfType(s.json(s.primary), 'AWS::IAM::Policy');
      const tableActionsOf = (fn: string) => {
        const policy = policies.find((p) =>
          JSON.stringify((p.Properties as { Roles: unknown }).Roles).includes(`Functions${fn}Role`),
        );
        const statements = (policy!.Properties as { PolicyDocument: { Statement: { Action: string | string[] }[] } })
          .PolicyDocument.Statement;
        return statements.flatMap((st) => [st.Action].flat()).filter((a) => a.startsWith('dynamodb:'));
      };
      // Sorted: the deployed policies are minimized (the minimizePolicies flag, src/infra/feature-flags.ts).
      const expected = (access: 'read' | 'write') =>
        tableActions(access)
          .map((a) => `dynamodb:${a}`)
          .sort();
      assert.deepEqual(tableActionsOf('reader'), expected('read'));
      assert.ok(!tableActionsOf('reader').some((a) => /Put|Update|Delete|BatchWrite/.test(a)));
      assert.deepEqual(tableActionsOf('writer'), expected('write'));
    } finally {
      s.cleanup();
    }
  });
});
