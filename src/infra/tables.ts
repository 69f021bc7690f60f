/**
 * DynamoDB tables from `tables`. The primary region owns each table as a global table (TableV2)
 * with a replica in the secondary region; the secondary stack only refers to its replica by name.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import {
  type Attribute,
  AttributeType,
  Billing,
  type ITableV2,
  TableEncryptionV2,
  TableV2,
} from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import type { ResolvedKey, ResolvedTable } from '../config/index.ts';
import type { DeploymentPlan } from './plan.ts';

const ATTRIBUTE_TYPES = { S: AttributeType.STRING, N: AttributeType.NUMBER, B: AttributeType.BINARY } as const;

function attribute(key: ResolvedKey): Attribute {
  return { name: key.name, type: ATTRIBUTE_TYPES[key.type] };
}

export class Tables extends Construct {
  readonly byName: Record<string, ITableV2> = {};

  constructor(scope: Construct, id: string, plan: DeploymentPlan, role: 'primary' | 'secondary') {
    super(scope, id);
    for (const table of Object.values(plan.config.tables)) {
      const tableName = plan.tableNames[table.tableName];
      this.byName[table.tableName] =
        role === 'primary'
          ? this.globalTable(table, tableName, plan.secondary)
          : TableV2.fromTableName(this, table.tableName, tableName);
    }
  }

  private globalTable(table: ResolvedTable, tableName: string, secondary: string | undefined): TableV2 {
    return new TableV2(this, table.tableName, {
      tableName,
      partitionKey: attribute(table.partitionKey),
      sortKey: table.sortKey && attribute(table.sortKey),
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // A KMS key in the account (aws/dynamodb) rather than the AWS owned default, so key use shows in CloudTrail.
      encryption: TableEncryptionV2.awsManagedKey(),
      replicas: secondary ? [{ region: secondary }] : [],
      removalPolicy: table.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      deletionProtection: table.retain,
    });
  }
}
