/**
 * cdk-nag's AwsSolutions checks, run during synthesis (an unacknowledged error fails it). Findings
 * we accept are acknowledged where the resource is made, each with its reason, through acknowledge().
 */
import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

export function enableNag(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }));
}

/** `id` is the finding as cdk-nag reports it, e.g. `AwsSolutions-IAM5[Resource::*]`. */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}
