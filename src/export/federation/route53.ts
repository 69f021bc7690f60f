/**
 * Route 53: a CloudFormation template of one HTTP(S) health check per endpoint and one record set per
 * endpoint under `hostname` (failover PRIMARY/SECONDARY, weighted, or latency by AWS region).
 * Deploy: `aws cloudformation deploy --template-file route53.json --stack-name NAME --parameter-overrides HostedZoneId=Z…`.
 */
import type { ResolvedFederation } from '../../config/index.ts';
import type { ExportResult, Unmapped } from '../result.ts';
import { endpointHosts, FederationExportError, needHostname, oneOf, within } from './checks.ts';

const PRODUCT = 'Route 53';
const AWS_REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

export function exportRoute53(federation: ResolvedFederation): ExportResult {
  const problems: string[] = [];
  const check = federation.healthCheck;
  oneOf(
    problems,
    'federation.healthCheck.intervalSeconds',
    check.intervalSeconds,
    [10, 30],
    `${PRODUCT} (RequestInterval)`,
  );
  within(problems, 'federation.healthCheck.failureThreshold', check.failureThreshold, 1, 10, PRODUCT);
  const hostname = needHostname(federation, problems);
  const hosts = endpointHosts(federation, PRODUCT, problems);
  if (federation.steering === 'failover' && hosts.length > 2)
    problems.push(
      `federation.endpoints: ${hosts.length} endpoints; ${PRODUCT} failover has a PRIMARY and a SECONDARY record only (nest failover records by hand for more)`,
    );
  if (federation.steering === 'latency')
    for (const { endpoint } of hosts)
      if (!endpoint.location || !AWS_REGION.test(endpoint.location))
        problems.push(
          `federation.endpoints.${endpoint.id}.location: ${endpoint.location ?? 'missing'}; ${PRODUCT} latency records need the AWS region nearest the endpoint (e.g. "eu-west-1")`,
        );
  if (federation.fallback)
    problems.push(
      `federation.fallback: "${federation.fallback}"; ${PRODUCT} has no fallback record (with none healthy it answers every record)`,
    );
  if (problems.length) throw new FederationExportError(PRODUCT, problems);

  const resources: Record<string, unknown> = {};
  hosts.forEach(({ endpoint, https, host, port }, i) => {
    const key = endpoint.id.replace(/[^A-Za-z0-9]/g, '');
    resources[`HealthCheck${key}`] = {
      Type: 'AWS::Route53::HealthCheck',
      Properties: {
        HealthCheckConfig: {
          Type: https ? 'HTTPS' : 'HTTP',
          FullyQualifiedDomainName: host,
          Port: port,
          ResourcePath: check.path,
          RequestInterval: check.intervalSeconds,
          FailureThreshold: check.failureThreshold,
        },
        HealthCheckTags: [{ Key: 'Name', Value: `${hostname} ${endpoint.id}` }],
      },
    };
    const routing =
      federation.steering === 'failover'
        ? { Failover: i === 0 ? 'PRIMARY' : 'SECONDARY' }
        : federation.steering === 'weighted'
          ? { Weight: endpoint.weight }
          : { Region: endpoint.location };
    resources[`Record${key}`] = {
      Type: 'AWS::Route53::RecordSet',
      Properties: {
        HostedZoneId: { Ref: 'HostedZoneId' },
        Name: `${hostname}.`,
        Type: 'CNAME',
        TTL: String(federation.ttlSeconds),
        ResourceRecords: [host],
        SetIdentifier: endpoint.id,
        HealthCheckId: { Ref: `HealthCheck${key}` },
        ...routing,
      },
    };
  });
  const template = {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `gantry federation: ${hostname} across ${hosts.map((h) => h.endpoint.id).join(', ')} (${federation.steering})`,
    Parameters: {
      HostedZoneId: { Type: 'AWS::Route53::HostedZone::Id', Description: `The hosted zone of ${hostname}` },
    },
    Resources: resources,
  };
  const unmapped: Unmapped[] = [
    {
      feature: 'federation.healthCheck.timeoutSeconds',
      reason: `${PRODUCT} health checkers wait a fixed time (4 s to connect, then 2 s for the answer)`,
      instead: `not set (${check.timeoutSeconds} s locally)`,
    },
  ];
  return { files: { 'route53.json': `${JSON.stringify(template, null, 2)}\n` }, unmapped };
}
