/**
 * CloudFront with an AWS WAF web ACL in front of the regional APIs. AWS WAF cannot attach to an HTTP
 * API, so the web ACL sits on a distribution whose origin is the failover host name. CloudFront's
 * certificate and web ACL must live in us-east-1, hence a stack of their own there.
 */
import { Duration } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  PriceClass,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { AaaaRecord, ARecord, RecordTarget } from 'aws-cdk-lib/aws-route53';
import { CloudFrontTarget } from 'aws-cdk-lib/aws-route53-targets';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { certificateFor, hostedZone } from './domain.ts';
import { acknowledgeGuard } from './guard.ts';
import { acknowledge } from './nag.ts';
import { ORIGIN_VERIFY_HEADER, regionalSecretArn, secretValueReference } from './origin-verify.ts';
import type { DeploymentPlan } from './plan.ts';

function visibility(metricName: string): CfnWebACL.VisibilityConfigProperty {
  return { cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName };
}

export class Edge extends Construct {
  readonly webAcl: CfnWebACL;
  readonly distribution: Distribution;

  constructor(scope: Construct, id: string, props: { plan: DeploymentPlan; originSecretArn: string }) {
    super(scope, id);
    const { plan } = props;
    const domain = plan.config.domain!;
    const edge = plan.edge!;
    const metricPrefix = plan.prefix.replace(/[^A-Za-z0-9]/g, '');
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      name: `${plan.prefix}-edge`,
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: visibility(`${metricPrefix}WebAcl`),
      rules: [
        {
          name: 'AWSManagedRulesCommonRuleSet',
          priority: 0,
          overrideAction: { none: {} },
          statement: {
            managedRuleGroupStatement: {
              vendorName: 'AWS',
              name: 'AWSManagedRulesCommonRuleSet',
              // SizeRestrictions_BODY blocks bodies over 8 KB, which the API accepts (HTTP APIs take
              // up to 10 MB): counted, so it shows in the web ACL's metrics without refusing them.
              ruleActionOverrides: [{ name: 'SizeRestrictions_BODY', actionToUse: { count: {} } }],
            },
          },
          visibilityConfig: visibility(`${metricPrefix}Common`),
        },
        {
          name: 'RateLimitPerIp',
          priority: 1,
          action: { block: {} },
          statement: { rateBasedStatement: { limit: edge.wafRateLimit, aggregateKeyType: 'IP' } },
          visibilityConfig: visibility(`${metricPrefix}RateLimit`),
        },
      ],
    });

    const zone = hostedZone(this, domain);
    this.distribution = new Distribution(this, 'Distribution', {
      comment: `${plan.prefix} API`,
      domainNames: [plan.host!],
      certificate: certificateFor(this, { domain, host: plan.host!, region: edge.region, zone }),
      webAclId: this.webAcl.attrArn,
      minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      defaultBehavior: {
        origin: new HttpOrigin(plan.regionalHost!, {
          protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
          originSslProtocols: [OriginSslPolicy.TLS_V1_2],
          readTimeout: Duration.seconds(30),
          // Checked by each region's API (origin-verify.ts): the regional URLs refuse requests without it.
          customHeaders: {
            [ORIGIN_VERIFY_HEADER]: secretValueReference(regionalSecretArn(this, props.originSecretArn)),
          },
        }),
        viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: AllowedMethods.ALLOW_ALL,
        // An API answers per request: nothing is cached, and everything but Host reaches the origin.
        cachePolicy: CachePolicy.CACHING_DISABLED,
        originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      },
    });
    acknowledge(
      this.distribution.node.defaultChild!,
      'AwsSolutions-CFR3',
      'Standard access logs need an S3 bucket that would outlive `gantry destroy`; the web ACL samples requests and the regional stages keep access logs of every request',
    );
    acknowledge(
      this.distribution.node.defaultChild!,
      'AwsSolutions-CFR1',
      'The API serves every country; the web ACL rate-limits and filters requests instead of blocking by location',
    );
    acknowledgeGuard(
      this.distribution,
      'cloudfront_access_logs_enabled_check',
      'Standard access logs need an S3 bucket that would outlive `gantry destroy`; the web ACL samples requests and the regional stages log every request',
    );
    acknowledgeGuard(
      this.distribution,
      'cloudfront_default_root_object_configured_check',
      'The origin is an API: `/` is a route like any other, not an object to serve by default',
    );
    acknowledgeGuard(
      this.distribution,
      'cloudfront_origin_failover_enabled_check',
      'The one origin is the Route 53 failover name of the two regions: failover happens in DNS, and CloudFront origin groups would not fail over POST/PUT/DELETE',
    );
    // The distribution answers on IPv4 and IPv6, so both alias records.
    const target = RecordTarget.fromAlias(new CloudFrontTarget(this.distribution));
    new ARecord(this, 'Record', { zone, recordName: plan.host!, target });
    new AaaaRecord(this, 'RecordIpv6', { zone, recordName: plan.host!, target });
  }
}
