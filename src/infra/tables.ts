/**
 * DynamoDB tables from `tables`. The primary region owns each table as a global table (TableV2)
 * with a replica in the secondary region; the secondary stack only refers to its replica by name.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import {
  type Attribute,
  AttributeType,
  Billing,
  type GlobalSecondaryIndexPropsV2,
  type ITableV2,
  ProjectionType,
  TableEncryptionV2,
  TableV2,
} from 'aws-cdk-lib/aws-dynamodb';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { ResolvedIndex, ResolvedKey, ResolvedTable } from '../config/index.ts';
import type { DeploymentPlan } from './plan.ts';

/** The DynamoDB actions that take an `IndexName`. */
const INDEX_ACTIONS = new Set(['dynamodb:Query', 'dynamodb:Scan']);

const ATTRIBUTE_TYPES = { S: AttributeType.STRING, N: AttributeType.NUMBER, B: AttributeType.BINARY } as const;

function attribute(key: ResolvedKey): Attribute {
  return { name: key.name, type: ATTRIBUTE_TYPES[key.type] };
}

function globalSecondaryIndex(index: ResolvedIndex): GlobalSecondaryIndexPropsV2 {
  const { projection } = index;
  return {
    indexName: index.indexName,
    partitionKey: attribute(index.partitionKey),
    sortKey: index.sortKey && attribute(index.sortKey),
    projectionType: ProjectionType[projection.type],
    nonKeyAttributes: projection.type === 'INCLUDE' ? projection.nonKeyAttributes : undefined,
  };
}

export class Tables extends Construct {
  readonly byName: Record<string, ITableV2> = {};
  private readonly indexNames: Record<string, string[]> = {};

  constructor(scope: Construct, id: string, plan: DeploymentPlan, role: 'primary' | 'secondary') {
    super(scope, id);
    for (const table of Object.values(plan.config.tables)) {
      this.indexNames[table.tableName] = table.indexes.map((index) => index.indexName);
      const tableName = plan.tableNames[table.tableName];
      this.byName[table.tableName] =
        role === 'primary'
          ? this.globalTable(table, tableName, plan.secondary)
          : TableV2.fromTableName(this, table.tableName, tableName);
    }
  }

  /**
   * `actions` on this region's table (the replica in the secondary), and on each of its indexes by
   * name when an action reads through an index (Query, Scan): least privilege, where the CDK's own
   * grant would add `table/index/*`. A `describe` grant (a health check) names the table only.
   */
  grant(table: string, grantee: IGrantable, ...actions: string[]): void {
    const { tableArn } = this.byName[table];
    const throughIndex = actions.some((action) => INDEX_ACTIONS.has(action));
    const indexArns = throughIndex ? this.indexNames[table].map((name) => `${tableArn}/index/${name}`) : [];
    Grant.addToPrincipal({ grantee, actions, resourceArns: [tableArn, ...indexArns] });
  }

  private globalTable(table: ResolvedTable, tableName: string, secondary: string | undefined): TableV2 {
    return new TableV2(this, table.tableName, {
      tableName,
      partitionKey: attribute(table.partitionKey),
      sortKey: table.sortKey && attribute(table.sortKey),
      globalSecondaryIndexes: table.indexes.map(globalSecondaryIndex),
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
