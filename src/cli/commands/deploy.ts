import type { Command } from '../command.ts';
import { CDK_FLAGS_USAGE, runCdkCommand } from './cdk-cli.ts';

const usage = `Usage: gantry deploy [flags] [STACK...] [-- CDK_ARGS...]

Deploys every stack (primary region first, then the secondary, then the edge) with the AWS CDK.
Each region must be bootstrapped once: npx cdk bootstrap aws://ACCOUNT/REGION.
Security-broadening changes ask for approval; in CI pass: -- --require-approval never
Tables an earlier gantry destroy kept are adopted, not created again
(CloudFormation's import of existing resources); see docs/deploy.md.

${CDK_FLAGS_USAGE}

Example: gantry deploy --stage prod --profile prod -- --require-approval never`;

export const command: Command = {
  name: 'deploy',
  summary: 'deploy the API to AWS (every region) with the AWS CDK',
  usage,
  run: (args) => runCdkCommand('deploy', args, usage),
};
