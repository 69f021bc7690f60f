/**
 * The CDK app entry, run by the CDK CLI through tsx (`gantry synth|diff|deploy|destroy` pass it as
 * `--app`). Which config and which deployment stage come as context values, see CONTEXT_KEYS.
 */
import { App } from 'aws-cdk-lib';
import { ConfigError, loadConfig } from '../config/index.ts';
import { buildStacks } from './build.ts';
import { CONTEXT_KEYS } from './context.ts';
import { InfraError } from './errors.ts';

const app = new App({ analyticsReporting: false });
const context = (key: string): string | undefined => {
  const value = app.node.tryGetContext(key);
  return typeof value === 'string' && value !== '' ? value : undefined;
};

try {
  const config = await loadConfig(context(CONTEXT_KEYS.config));
  const nag = context(CONTEXT_KEYS.nag) !== 'false';
  const { guard } = buildStacks(app, config, {
    stage: context(CONTEXT_KEYS.stage),
    region: context(CONTEXT_KEYS.region),
    nag,
  });
  if (nag && !guard) {
    console.error(
      'gantry: the cfn-guard Control Tower checks did not run: install @cdklabs/cdk-validator-cfnguard to add them (cdk-nag ran)',
    );
  }
  app.synth();
} catch (error) {
  if (!(error instanceof ConfigError || error instanceof InfraError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
