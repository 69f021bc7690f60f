/**
 * The custom domain of one region: an ACM certificate, the API Gateway domain name and its API
 * mapping, and the Route 53 record. With a secondary region the records form a failover pair (or
 * weighted or latency records, `regions.routing`), each with a health check on `GET {regions.healthCheck.path}`
 * of its region's API, at the configured interval and threshold.
 */
import { Aws, Duration, Tags } from 'aws-cdk-lib';
import {
  ApiMapping,
  DomainName,
  EndpointType,
  type HttpApi,
  type HttpStage,
  SecurityPolicy,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { Certificate, CertificateValidation, type ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  ARecord,
  Failover,
  HealthCheck,
  HealthCheckType,
  HostedZone,
  type IAliasRecordTarget,
  type IHostedZone,
  RecordTarget,
} from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import type { DomainConfig } from '../config/index.ts';
import { type DeploymentPlan, healthCheckPath } from './plan.ts';

/** The region an ACM certificate ARN lives in (`arn:aws:acm:REGION:ACCOUNT:certificate/ID`). */
export function certificateRegion(arn: string): string | undefined {
  return arn.split(':')[3] || undefined;
}

export function hostedZone(scope: Construct, domain: DomainConfig): IHostedZone {
  return HostedZone.fromHostedZoneAttributes(scope, 'Zone', {
    hostedZoneId: domain.hostedZoneId,
    zoneName: domain.hostedZoneName ?? domain.name.slice(domain.name.indexOf('.') + 1),
  });
}

/**
 * ACM certificates are regional: the configured ARN serves the region it was issued in, and any
 * other region gets its own DNS-validated certificate. The configured certificate is for
 * `domain.name`; behind CloudFront the regional APIs answer on `origin.{name}`, which it does not
 * cover (a `*.` wildcard would, but gantry cannot read the certificate offline), so they get their own.
 */
export function certificateFor(
  scope: Construct,
  props: { domain: DomainConfig; host: string; region: string; zone: IHostedZone },
): ICertificate {
  const { domain, host, region, zone } = props;
  if (domain.certificateArn && host === domain.name && certificateRegion(domain.certificateArn) === region) {
    return Certificate.fromCertificateArn(scope, 'Certificate', domain.certificateArn);
  }
  return new Certificate(scope, 'Certificate', { domainName: host, validation: CertificateValidation.fromDns(zone) });
}

/** Route 53 requires EvaluateTargetHealth on failover aliases; the CDK's API Gateway target leaves it unset. */
function regionalAlias(domainName: DomainName): IAliasRecordTarget {
  return {
    bind: () => ({
      dnsName: domainName.regionalDomainName,
      hostedZoneId: domainName.regionalHostedZoneId,
      evaluateTargetHealth: true,
    }),
  };
}

export class RegionalDomain extends Construct {
  readonly domainName: DomainName;
  readonly record: ARecord;
  readonly healthCheck?: HealthCheck;

  constructor(
    scope: Construct,
    id: string,
    props: { plan: DeploymentPlan; region: string; role: 'primary' | 'secondary'; api: HttpApi; stage: HttpStage },
  ) {
    super(scope, id);
    const { plan, region, role, api, stage } = props;
    const domain = plan.config.domain!;
    const host = plan.regionalHost!;
    const zone = hostedZone(this, domain);
    this.domainName = new DomainName(this, 'DomainName', {
      domainName: host,
      certificate: certificateFor(this, { domain, host, region, zone }),
      endpointType: EndpointType.REGIONAL,
      securityPolicy: SecurityPolicy.TLS_1_2,
    });
    new ApiMapping(this, 'Mapping', {
      api,
      domainName: this.domainName,
      stage,
      // Keeping the stage as the mapping key gives deployed URLs the same `/{stage}/...` shape as `gantry dev`.
      apiMappingKey: stage.stageName === '$default' ? undefined : stage.stageName,
    });

    if (plan.secondary) {
      // Route 53 probes the region's own execute-api endpoint, so a failing region is seen even while DNS points at it.
      this.healthCheck = new HealthCheck(this, 'HealthCheck', {
        type: HealthCheckType.HTTPS,
        fqdn: `${api.apiId}.execute-api.${region}.${Aws.URL_SUFFIX}`,
        port: 443,
        resourcePath: healthCheckPath(plan.config),
        requestInterval: Duration.seconds(plan.config.regions.healthCheck.intervalSeconds),
        failureThreshold: plan.config.regions.healthCheck.failureThreshold,
      });
      Tags.of(this.healthCheck).add('Name', `${plan.prefix} ${region} GET ${plan.config.regions.healthCheck.path}`);
    }
    this.record = new ARecord(this, 'Record', {
      zone,
      recordName: host,
      target: RecordTarget.fromAlias(regionalAlias(this.domainName)),
      // The same routing as gantry dev's global endpoint: a failover pair, weighted or latency records.
      ...(plan.secondary && {
        ...(plan.config.regions.routing.policy === 'weighted'
          ? { weight: plan.config.regions.routing.weights[region] ?? 0 }
          : plan.config.regions.routing.policy === 'latency'
            ? { region }
            : { failover: role === 'primary' ? Failover.PRIMARY : Failover.SECONDARY }),
        setIdentifier: `${plan.prefix}-${role}`,
        healthCheck: this.healthCheck,
      }),
    });
  }
}
