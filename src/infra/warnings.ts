/**
 * Settings AWS deploys without complaint but that do not do what a user would expect: announced at
 * synth as CDK warnings (shown by `gantry synth`, fatal under `cdk synth --strict`), once per deployment.
 */
import { Annotations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { ResolvedConfig } from '../config/index.ts';

export function announceDeployWarnings(scope: IConstruct, config: ResolvedConfig): void {
  const warn = (id: string, message: string) => Annotations.of(scope).addWarningV2(`gantry:${id}`, message);
  for (const fn of Object.values(config.functions)) {
    // Without `tables`, any environment value equal to a table name grants read-write on it: a
    // variable that only happens to share the name (a mode, a label) would widen the role.
    if (fn.tables === undefined) {
      for (const [key, value] of Object.entries(fn.environment)) {
        if (!Object.hasOwn(config.tables, value)) continue;
        warn(
          'tableGrantInferred',
          `functions.${fn.name}.environment.${key} ("${value}") names table ${value}, so the function gets read-write on it because functions.${fn.name}.tables is not declared: declare functions.${fn.name}.tables (e.g. { ${value}: 'read' }) so the role grants exactly what the handler uses`,
        );
      }
    }
    if (fn.reservedConcurrency === 0) {
      warn(
        'reservedConcurrencyZero',
        `functions.${fn.name}.reservedConcurrency: 0 lets no invocation run: Lambda throttles every request (429 to API Gateway, 500 to clients); drop the field to use the account's pool`,
      );
    }
  }
  for (const route of config.routes) {
    const target = route.integration;
    if (target.type !== 'lambda') continue;
    const fn = config.functions[target.functionName];
    if (fn && fn.timeoutSeconds * 1000 > route.timeoutInMillis) {
      warn(
        'timeoutBeyondIntegration',
        `routes["${route.routeKey}"]: functions.${fn.name}.timeoutSeconds (${fn.timeoutSeconds} s) is longer than the route's integration timeout (${route.timeoutInMillis} ms): API Gateway answers 503 at ${route.timeoutInMillis} ms while the function runs on, billed, to its own timeout`,
      );
    }
  }
}
