import type { Command } from '../command.ts';
import { CDK_FLAGS_USAGE, runCdkCommand } from './cdk-cli.ts';

const usage = `Usage: gantry synth [flags] [STACK...] [-- CDK_ARGS...]

Synthesizes the CloudFormation templates of every region (and the us-east-1 edge stack when CloudFront
is configured) into the cloud assembly directory, offline: no AWS credentials, no context lookups.
cdk-nag's AwsSolutions checks run during synthesis; an unacknowledged finding fails it.

${CDK_FLAGS_USAGE}

Example: gantry synth --config examples/orders/api.config.ts --out cdk.out`;

export const command: Command = {
  name: 'synth',
  summary: 'synthesize the AWS CDK app (CloudFormation templates for every region) offline',
  usage,
  run: (args) => runCdkCommand('synth', args, usage),
};
