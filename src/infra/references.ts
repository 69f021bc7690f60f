/**
 * Cross-region references. A stack that reads another region's values (the secondary's JWT
 * authorizer reading the primary's user pool, the us-east-1 alarms reading each region's health
 * check) uses weak references: CloudFormation's `Fn::GetStackOutput` reads the producer's outputs
 * at deploy time, with no SSM-writing custom resources in either stack.
 */
import type { Stack } from 'aws-cdk-lib';

const WEAK_REFERENCES_FLAG = '@aws-cdk/core:defaultCrossStackReferences';

export function useWeakCrossRegionReferences(stack: Stack): void {
  stack.node.setContext(WEAK_REFERENCES_FLAG, 'weak');
}
