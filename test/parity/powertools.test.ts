/**
 * A Powertools Logger with no settings of its own logs the `service` it will log in AWS: through real
 * HTTP to `gantry dev`, read back with `gantry logs`, compared with what `gantry synth` deploys.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { command as logsCommand } from '../../src/cli/commands/logs.ts';
import { type DevServer, startDevServer } from '../../src/cli/dev-server.ts';
import { loadConfig, type ResolvedConfig } from '../../src/config/index.ts';
import { resourcesOfType, synthesize } from '../infra/helpers.ts';

const FIXTURE = fileURLToPath(new URL('./fixtures/powertools/api.config.ts', import.meta.url));

let config: ResolvedConfig;
let dev: DevServer;

before(async () => {
  config = await loadConfig(FIXTURE);
  dev = await startDevServer(config, { port: 0, dataDir: null, watch: false });
});
after(() => dev?.close());

/** `gantry logs FUNCTION --json`, its printed lines parsed. */
async function gantryLogs(functionName: string): Promise<{ message: string }[]> {
  const out: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => out.push(args.join(' '));
  try {
    const port = new URL(dev.consoleUrl!).port;
    assert.equal(await logsCommand.run([functionName, '--json', '--console-port', port]), 0);
  } finally {
    console.log = log;
  }
  return out.map((line) => JSON.parse(line));
}

test('a Powertools Logger without POWERTOOLS_SERVICE_NAME logs the service AWS would log', async () => {
  const response = await fetch(`${dev.url}/logged`);
  assert.equal(response.status, 200);
  assert.equal(await response.text(), 'ok');

  const lines = (await gantryLogs('logged')).flatMap((entry) => {
    try {
      const record = JSON.parse(entry.message);
      return record.message === 'order placed' ? [record] : [];
    } catch {
      return []; // START / END / REPORT
    }
  });
  assert.equal(lines.length, 1, 'one Powertools line for one request');

  const synthesized = synthesize(config, { bundle: false, nag: false });
  try {
    const [deployed] = resourcesOfType(synthesized.json(synthesized.primary), 'AWS::Lambda::Function').filter((r) =>
      r.id.startsWith('FunctionsloggedFunction'),
    );
    const variables = (deployed.Properties as { Environment: { Variables: Record<string, string> } }).Environment
      .Variables;
    assert.equal(variables.POWERTOOLS_SERVICE_NAME, 'parity-api');
    assert.equal(lines[0].service, variables.POWERTOOLS_SERVICE_NAME);
    assert.equal(lines[0].level, 'INFO');
  } finally {
    synthesized.cleanup();
  }
});
