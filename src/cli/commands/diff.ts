import type { Command } from '../command.ts';
import { CDK_FLAGS_USAGE, runCdkCommand } from './cdk-cli.ts';

const usage = `Usage: gantry diff [flags] [STACK...] [-- CDK_ARGS...]

Compares the deployed stacks with the code (cdk diff --fail). Exits 1 when they differ, so a CI job
can fail on drift; 0 when they match. Needs AWS credentials that can read the stacks.

${CDK_FLAGS_USAGE}

Example: gantry diff --stage prod --profile prod`;

export const command: Command = {
  name: 'diff',
  summary: 'compare the deployed stacks with the code; exit 1 when they differ',
  usage,
  run: (args) => runCdkCommand('diff', args, usage),
};
