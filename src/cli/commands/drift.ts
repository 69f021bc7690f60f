import type { Command } from '../command.ts';
import { CDK_FLAGS_USAGE, runCdkCommand } from './cdk-cli.ts';

const usage = `Usage: gantry drift [flags] [STACK...] [-- CDK_ARGS...]

Finds changes made to the deployed stacks outside gantry (console, CLI, scripts): CloudFormation
drift detection on every resource of every stack (cdk drift --fail), as a Terraform plan's refresh
would. Needs AWS credentials that may call cloudformation:DetectStackDrift and read the resources.
Drift detection is free; it reads each resource through its service's API.

Exit codes: 0 no drift, 1 drift found, 2 usage error, 3 nothing checked (no usable AWS credentials,
AWS unreachable, or a stack could not be read), 4 nothing checked (the app did not synthesize).

${CDK_FLAGS_USAGE}

Example: gantry drift --stage prod --profile prod`;

export const command: Command = {
  name: 'drift',
  summary: 'find changes made to the deployed stacks outside gantry (CloudFormation drift detection)',
  usage,
  run: (args) => runCdkCommand('drift', args, usage),
};
