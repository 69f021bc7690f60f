import type { Command } from '../command.ts';
import { CDK_FLAGS_USAGE, runCdkCommand } from './cdk-cli.ts';

const usage = `Usage: gantry destroy [flags] [STACK...] [-- CDK_ARGS...]

Deletes every stack of the deployment. Tables are kept unless the config says retain: false, and
Cognito user pools are kept with their users; nothing else that costs money is left behind. Stages
named prod, production or prod-… have termination protection: turn it off first.

${CDK_FLAGS_USAGE}
  -f, --force         do not ask for confirmation

Example: gantry destroy --stage dev --force`;

export const command: Command = {
  name: 'destroy',
  summary: 'delete the deployed stacks (tables are retained unless configured otherwise)',
  usage,
  run: (args) => runCdkCommand('destroy', args, usage),
};
