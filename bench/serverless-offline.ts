/**
 * serverless-offline, the emulator most of our users come from, serving the same trivial handler, so
 * `npm run bench` compares against it in the same run. It is installed on first use from the npm
 * registry into bench/.cache (git-ignored; none of its code is part of this repository).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const dir = fileURLToPath(new URL('.cache/serverless-offline/', import.meta.url));
export const SERVERLESS_VERSIONS = { serverless: '3.39.0', 'serverless-offline': '13.9.0' };

const HANDLER = `exports.hello = async () => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"message":"hello"}' });\n`;

function serverlessYml(port: number): string {
  return [
    'service: bench',
    "frameworkVersion: '3'",
    'provider: { name: aws, runtime: nodejs20.x, region: us-east-1 }',
    'functions:',
    '  hello: { handler: handler.hello, events: [ { httpApi: "GET /hello" } ] }',
    'plugins: [ serverless-offline ]',
    'custom:',
    `  serverless-offline: { httpPort: ${port}, lambdaPort: ${port + 1}, noPrependStageInUrl: true }`,
    '',
  ].join('\n');
}

/** Installs (once) and prepares a project for `port`; returns how to start it, or why it cannot run. */
export async function prepareServerlessOffline(
  port: number,
): Promise<{ args: string[]; cwd: string; env: NodeJS.ProcessEnv } | { error: string }> {
  const bin = join(dir, 'node_modules', 'serverless', 'bin', 'serverless.js');
  if (!existsSync(bin)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{ "private": true }\n');
    const packages = Object.entries(SERVERLESS_VERSIONS).map(([name, version]) => `${name}@${version}`);
    try {
      await run('npm', ['install', '--no-audit', '--no-fund', '--no-save', ...packages], {
        cwd: dir,
        timeout: 300_000,
      });
    } catch (error) {
      return { error: `npm install ${packages.join(' ')} failed: ${(error as Error).message.split('\n')[0]}` };
    }
  }
  writeFileSync(join(dir, 'handler.js'), HANDLER);
  writeFileSync(join(dir, 'serverless.yml'), serverlessYml(port));
  return {
    args: [bin, 'offline', 'start'],
    cwd: dir,
    env: {
      ...process.env,
      // serverless v3 cannot load ESM plugins while Node 20.19+ lets require() load ESM.
      NODE_OPTIONS: '--no-experimental-require-module',
      SLS_TELEMETRY_DISABLED: '1',
      SLS_NOTIFICATIONS_MODE: 'off',
      SLS_DEPRECATION_DISABLE: '*',
      AWS_ACCESS_KEY_ID: 'bench',
      AWS_SECRET_ACCESS_KEY: 'bench',
    },
  };
}
