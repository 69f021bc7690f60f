#!/usr/bin/env node
// The CLI is TypeScript run in place: tsx's loader is registered before anything of ours is imported,
// so api.config.ts files and `import { defineApi } from 'gantry'` resolve without a build step. Both
// of its hooks: in a package that is not "type": "module", Node treats api.config.ts as CommonJS.
import { register as registerCommonJs } from 'tsx/cjs/api';
import { register } from 'tsx/esm/api';

// Lambda runs in UTC, and worker threads share the process's time zone: so does all of gantry.
process.env.TZ = 'UTC';
// The SDK's notice about Node 22 (for releases after January 2027) says nothing a gantry user can act on.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
registerCommonJs();
const { main } = await import('../src/cli/main.ts');
// Exit explicitly: stdout/stderr are synchronous for files, pipes and TTYs on Linux, so nothing is lost.
process.exit(await main(process.argv.slice(2)));
