#!/usr/bin/env node
// The CLI is TypeScript run in place: tsx's loader is registered before anything of ours is imported,
// so api.config.ts files and `import { defineApi } from 'gantry'` resolve without a build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
