import type { Command } from '../command.ts';
import { CDK_FLAGS_USAGE, runCdkCommand } from './cdk-cli.ts';

const usage = `Usage: gantry diff [flags] [STACK...] [-- CDK_ARGS...]

Compares the deployed stacks with the code (cdk diff --fail): what the next gantry deploy would
change. Needs AWS credentials that can read the stacks. Changes made outside the stacks are found
by gantry drift.

Exit codes: 0 no difference, 1 differences, 2 usage error, 3 nothing compared (no usable AWS
credentials, AWS unreachable, or a stack could not be read), 4 nothing compared (the app did not
synthesize: invalid config, cdk-nag or cfn-guard finding).

${CDK_FLAGS_USAGE}

Example: gantry diff --stage prod --profile prod`;

export const command: Command = {
  name: 'diff',
  summary: 'compare the deployed stacks with the code; exit 1 when they differ, 3 when nothing could be compared',
  usage,
  run: (args) => runCdkCommand('diff', args, usage),
};
