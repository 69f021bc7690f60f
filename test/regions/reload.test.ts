/**
 * Hot reload of api.config.ts on a two-region `gantry dev` (a real process): an edit is served by
 * both regions and the global endpoint, a table it adds is a global table like the others, and an
 * edit to what the regions are set up with once is refused by name while the running config serves.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type DevProcess, eventually, root, startTwoRegions } from './dev-process.ts';

const HANDLERS = `import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
const client = new DynamoDBClient({});
const json = (statusCode, body) => ({ statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
export const health = async () => json(200, { healthy: true });
export const whoami = async (event) => json(200, { region: process.env.AWS_REGION, routeKey: event.routeKey });
// PUT|GET /{table}/{id}: the table is the route's first segment.
export const notes = async (event) => {
  const id = event.pathParameters.id;
  const table = event.routeKey.split(' ')[1].split('/')[1];
  if (event.requestContext.http.method === 'PUT') {
    await client.send(new PutItemCommand({ TableName: table, Item: { id: { S: id }, text: { S: event.body ?? '' } } }));
    return json(200, { id });
  }
  const got = await client.send(new GetItemCommand({ TableName: table, Key: { id: { S: id } }, ConsistentRead: true }));
  return got.Item ? json(200, { text: got.Item.text.S, region: process.env.AWS_REGION }) : json(404, { id });
};
`;

function configWith({ edited = false, lagMs = 200 } = {}): string {
  // Declared table access: the first config may only read notes, the edit lets it write them.
  const functions = `health: { handler: 'h.health', tables: {} }, whoami: { handler: 'h.whoami', tables: {} }, notes: { handler: 'h.notes', tables: ${edited ? "{ notes: 'read-write', drafts: 'read-write' }" : "{ notes: 'read' }"} }`;
  const routes = `'GET /health': 'health', 'GET /whoami': 'whoami', 'PUT /notes/{id}': 'notes', 'GET /notes/{id}': 'notes'${edited ? ", 'GET /whoami2': 'whoami', 'PUT /drafts/{id}': 'notes', 'GET /drafts/{id}': 'notes'" : ''}`;
  const tables = `tables: { notes: { partitionKey: 'id' }${edited ? ", drafts: { partitionKey: 'id' }" : ''} },`;
  return `export default { name: 'reload-regions', functions: { ${functions} }, routes: { ${routes} }, ${tables}
  regions: { primary: 'us-east-1', secondary: 'us-west-2' },
  local: { healthCheckIntervalSeconds: 0.5, replicationLagMs: ${lagMs} } };\n`;
}

let dev: DevProcess;
let file: string;
const count = (text: string) => dev.output().split(text).length - 1;

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-regions-reload-'));
  // The handlers import the AWS SDK, as deployed ones do: resolved from this repository's node_modules.
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  writeFileSync(join(dir, 'h.mjs'), HANDLERS);
  file = join(dir, 'api.config.mjs');
  writeFileSync(file, configWith());
  dev = await startTwoRegions(['--config', file, '--in-memory'], { watch: true });
});
after(async () => {
  await dev?.stop();
});

test('an edit is served by both regions and the global endpoint, with its table grants; a table it adds is a global table', async () => {
  for (const url of [dev.url, ...Object.values(dev.regional)])
    assert.equal((await fetch(`${url}/whoami2`)).status, 404);
  assert.doesNotMatch(dev.output(), /not hot-reloaded/);
  const denied = await fetch(`${dev.regional['us-east-1']}/notes/n0`, { method: 'PUT', body: 'no' });
  assert.equal(denied.status, 500, 'PutItem is denied while the function may only read notes');
  writeFileSync(file, configWith({ edited: true }));
  await eventually('the reload', async () =>
    count('api.config.mjs reloaded in both regions') === 1 ? true : undefined,
  );
  for (const [region, url] of Object.entries(dev.regional)) {
    const answer = (await (await fetch(`${url}/whoami2`)).json()) as { region: string; routeKey: string };
    assert.deepEqual(answer, { region, routeKey: 'GET /whoami2' });
  }
  assert.equal((await fetch(`${dev.url}/whoami2`)).status, 200);
  // The edited grant: the function may write notes now, in every region.
  for (const url of Object.values(dev.regional)) {
    const written = await fetch(`${url}/notes/n1`, { method: 'PUT', body: 'hello' });
    assert.equal(written.status, 200, await written.text());
  }
  // Written in one region, read in the other: the new table replicates as the first config's tables do.
  const draft = await fetch(`${dev.regional['us-east-1']}/drafts/d1`, { method: 'PUT', body: 'draft' });
  assert.equal(draft.status, 200, await draft.text());
  const read = await eventually('the draft in us-west-2', async () => {
    const response = await fetch(`${dev.regional['us-west-2']}/drafts/d1`);
    return response.status === 200 ? ((await response.json()) as { text: string; region: string }) : undefined;
  });
  assert.deepEqual(read, { text: 'draft', region: 'us-west-2' });
});

test('an edit to what both regions are set up with once is refused by name; the running config serves on', async () => {
  const reloads = count('reloaded in both regions');
  writeFileSync(file, configWith({ edited: true, lagMs: 900 }));
  await eventually('the refusal', async () => (count('api.config.mjs not applied') === 1 ? true : undefined));
  assert.match(
    dev.output(),
    /local\.replicationLagMs: changed; a two-region gantry dev sets it up once .*restart gantry dev/,
  );
  assert.equal(count('reloaded in both regions'), reloads);
  for (const url of [dev.url, ...Object.values(dev.regional)])
    assert.equal((await fetch(`${url}/whoami2`)).status, 200);
  assert.equal(await dev.stop(), 0);
});
