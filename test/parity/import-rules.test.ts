/**
 * The import-rule check `npm test` runs (scripts/check-imports.ts with .dependency-cruiser.cjs) fails
 * on forbidden imports, type-only ones included, and passes the allowed ones: run on a small tree
 * written for the purpose.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { checkImports } from '../../scripts/check-imports.ts';

const root = mkdtempSync(join(tmpdir(), 'gantry-imports-'));
after(() => rmSync(root, { recursive: true, force: true }));

function write(file: string, text: string): void {
  mkdirSync(dirname(join(root, file)), { recursive: true });
  writeFileSync(join(root, file), text);
}

test('forbidden imports are reported with their rule; allowed ones are not', async () => {
  write('src/aws/limits.ts', 'export const LIMIT = 1;\n');
  write('src/config/types.ts', "import { LIMIT } from '../aws/limits.ts';\nexport const x = LIMIT;\n");
  write('src/runtime/types.ts', 'export interface Invoker { invoke(): void }\n');
  write('src/runtime/pool.ts', "import { x } from '../config/types.ts';\nexport const pool = x;\n");
  write('src/telemetry/recorder.ts', 'export interface Recorder { record(): void }\n');
  write('src/telemetry/store.ts', 'export class MetricStore {}\n');
  // Allowed: the Invoker and recorder seams, config, and src/aws.
  write(
    'src/gateway/server.ts',
    "import type { Invoker } from '../runtime/types.ts';\nimport type { Recorder } from '../telemetry/recorder.ts';\nimport { x } from '../config/types.ts';\nexport type Both = [Invoker, Recorder, typeof x];\n",
  );
  // Forbidden: a type-only import of the gateway from config; the runtime's pool from the gateway.
  write('src/config/resolve.ts', "import type { Both } from '../gateway/server.ts';\nexport type B = Both;\n");
  write('src/gateway/handler.ts', "import { pool } from '../runtime/pool.ts';\nexport const p = pool;\n");
  write('src/gateway/metrics.ts', "export { MetricStore } from '../telemetry/store.ts';\n");
  // Forbidden: the page reaching past the console's API types; anything importing cli.
  write('src/console/api-types.ts', 'export interface Overview { name: string }\n');
  write('src/cli/main.ts', "import type { Overview } from '../console/api-types.ts';\nexport type O = Overview;\n");
  write('src/store/uses-cli.ts', "import type { O } from '../cli/main.ts';\nexport type Q = O;\n");
  write(
    'web/main.ts',
    "import type { Overview } from '../src/console/api-types.ts';\nimport { MetricStore } from '../src/telemetry/store.ts';\nexport const page = [MetricStore] as unknown as Overview;\n",
  );

  const violations = await checkImports(root);
  const found = violations.map((v) => `${v.rule}: ${v.from} → ${v.to}`).sort();
  assert.deepEqual(found, [
    'config-imports: src/config/resolve.ts → src/gateway/server.ts',
    'gateway-runtime-through-invoker: src/gateway/handler.ts → src/runtime/pool.ts',
    'gateway-telemetry-through-recorder: src/gateway/metrics.ts → src/telemetry/store.ts',
    'nothing-imports-cli: src/store/uses-cli.ts → src/cli/main.ts',
    'store-imports: src/store/uses-cli.ts → src/cli/main.ts',
    'web-through-console-api: web/main.ts → src/telemetry/store.ts',
  ]);
  assert.match(violations.find((v) => v.rule === 'config-imports')!.why, /nothing of ours but src\/aws/);
});
