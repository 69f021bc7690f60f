/**
 * `gantry export federation --target route53|traffic-manager|cloudflare`: the same policy rendered
 * for each product, and every value a product cannot express refused with its accepted range.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { formatFederationView } from '../../src/cli/federation-view.ts';
import { type FederationConfig, resolveConfig } from '../../src/config/index.ts';
import { exportFederation, FederationExportError, type FederationTarget } from '../../src/export/index.ts';

const fixture = fileURLToPath(new URL('./fixtures/federation/api.config.ts', import.meta.url));
// biome-ignore lint/suspicious/noExplicitAny: parsed JSON, asserted field by field
type Json = any;

const ENDPOINTS = {
  aws: { url: 'https://api-aws.example.com', priority: 1, weight: 200, location: 'us-east-1' },
  azure: { url: 'https://api-azure.example.com', priority: 2, weight: 100, location: 'eu-west-1' },
};

function configWith(federation: Partial<FederationConfig>) {
  return resolveConfig(
    {
      name: 'Orders',
      functions: { whoami: { handler: 'src/app.whoami' } },
      routes: { 'GET /whoami': 'whoami' },
      federation: { endpoints: ENDPOINTS, hostname: 'api.example.com', ...federation },
    },
    fixture,
  );
}

const json = (result: { files: Record<string, string | Uint8Array> }, file: string): Json =>
  JSON.parse(result.files[file] as string);

function refusal(target: FederationTarget, federation: Partial<FederationConfig>): string[] {
  try {
    exportFederation(configWith(federation), target);
  } catch (error) {
    assert.ok(error instanceof FederationExportError);
    return error.problems;
  }
  assert.fail(`${target} accepted ${JSON.stringify(federation)}`);
}

describe('Route 53', () => {
  test('failover: PRIMARY and SECONDARY CNAME records, each with its HTTPS health check', () => {
    const template = json(exportFederation(configWith({}), 'route53'), 'route53.json');
    assert.deepEqual(template.Resources.HealthCheckaws.Properties.HealthCheckConfig, {
      Type: 'HTTPS',
      FullyQualifiedDomainName: 'api-aws.example.com',
      Port: 443,
      ResourcePath: '/health',
      RequestInterval: 30,
      FailureThreshold: 3,
    });
    assert.deepEqual(template.Resources.Recordaws.Properties, {
      HostedZoneId: { Ref: 'HostedZoneId' },
      Name: 'api.example.com.',
      Type: 'CNAME',
      TTL: '60',
      ResourceRecords: ['api-aws.example.com'],
      SetIdentifier: 'aws',
      HealthCheckId: { Ref: 'HealthCheckaws' },
      Failover: 'PRIMARY',
    });
    assert.equal(template.Resources.Recordazure.Properties.Failover, 'SECONDARY');
  });

  test('weighted and latency records', () => {
    const weighted = json(exportFederation(configWith({ steering: 'weighted' }), 'route53'), 'route53.json');
    assert.equal(weighted.Resources.Recordaws.Properties.Weight, 200);
    const latency = json(exportFederation(configWith({ steering: 'latency' }), 'route53'), 'route53.json');
    assert.equal(latency.Resources.Recordazure.Properties.Region, 'eu-west-1');
  });

  test('refuses what Route 53 cannot express, naming each field and the accepted values', () => {
    const problems = refusal('route53', {
      endpoints: {
        ...ENDPOINTS,
        gcp: { url: 'https://gcp.example.com/api', priority: 3 },
      },
      healthCheck: { intervalSeconds: 15, failureThreshold: 11 },
      fallback: 'gcp',
    });
    assert.deepEqual(
      problems.map((p) => p.split(':')[0]),
      [
        'federation.healthCheck.intervalSeconds',
        'federation.healthCheck.failureThreshold',
        'federation.endpoints.gcp.url',
        'federation.endpoints',
        'federation.fallback',
      ],
    );
    assert.match(problems[0], /15; Route 53 \(RequestInterval\) accepts 10 or 30/);
    assert.match(problems[3], /PRIMARY and a SECONDARY record only/);
    assert.match(
      refusal('route53', { steering: 'latency', endpoints: { x: { url: 'https://x.example.com' } } })[0],
      /latency records need the AWS region/,
    );
  });
});

describe('Azure Traffic Manager', () => {
  test('a profile with External endpoints: Priority, Weighted or Performance; tolerated failures = threshold − 1', () => {
    const template = json(
      exportFederation(
        configWith({ steering: 'weighted', healthCheck: { intervalSeconds: 10, timeoutSeconds: 7 } }),
        'traffic-manager',
      ),
      'traffic-manager.json',
    );
    const profile = template.resources[0];
    assert.equal(profile.type, 'Microsoft.Network/trafficmanagerprofiles');
    assert.equal(profile.properties.trafficRoutingMethod, 'Weighted');
    assert.deepEqual(profile.properties.monitorConfig, {
      protocol: 'HTTPS',
      port: 443,
      path: '/health',
      intervalInSeconds: 10,
      timeoutInSeconds: 7,
      toleratedNumberOfFailures: 2,
      expectedStatusCodeRanges: [{ min: 200, max: 399 }],
    });
    assert.deepEqual(profile.properties.endpoints[0], {
      name: 'aws',
      type: 'Microsoft.Network/trafficManagerProfiles/externalEndpoints',
      properties: {
        target: 'api-aws.example.com',
        endpointStatus: 'Enabled',
        weight: 200,
        priority: 1,
        endpointLocation: 'us-east-1',
      },
    });
    assert.equal(
      json(exportFederation(configWith({ steering: 'latency' }), 'traffic-manager'), 'traffic-manager.json')
        .resources[0].properties.trafficRoutingMethod,
      'Performance',
    );
  });

  test('refuses a zero weight, a timeout out of range for fast probing, a fallback', () => {
    const problems = refusal('traffic-manager', {
      steering: 'weighted',
      endpoints: { ...ENDPOINTS, azure: { ...ENDPOINTS.azure, weight: 0 } },
      healthCheck: { intervalSeconds: 10, timeoutSeconds: 10 },
      fallback: 'aws',
    });
    assert.ok(
      problems.some((p) => /timeoutSeconds: 10; Traffic Manager accepts 5 to 9/.test(p)),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => /azure.weight: 0; Traffic Manager accepts 1 to 1000/.test(p)),
      problems.join('\n'),
    );
    assert.ok(problems.some((p) => /^federation.fallback/.test(p)));
  });
});

describe('Cloudflare Load Balancing', () => {
  test('a monitor, a pool per endpoint, the load balancer with its steering and fallback pool', () => {
    const result = exportFederation(
      configWith({ steering: 'weighted', healthCheck: { intervalSeconds: 60 } }),
      'cloudflare',
    );
    assert.deepEqual(json(result, 'monitor.json').consecutive_down, 3);
    assert.equal(json(result, 'pools/aws.json').origins[0].address, 'api-aws.example.com');
    const lb = json(result, 'load-balancer.json');
    assert.equal(lb.steering_policy, 'random');
    assert.deepEqual(lb.random_steering.pool_weights, { POOL_aws: 1, POOL_azure: 0.5 });
    assert.equal(lb.fallback_pool, 'POOL_azure');
    assert.match(result.unmapped.find((u) => u.feature === 'federation.fallback')!.instead, /azure/);
    assert.match(result.files['deploy.sh'] as string, /lb=\$\{lb\/\/POOL_azure\/\$pool\}/);
    assert.equal(
      json(
        exportFederation(configWith({ steering: 'latency', healthCheck: { intervalSeconds: 60 } }), 'cloudflare'),
        'load-balancer.json',
      ).steering_policy,
      'dynamic_latency',
    );
  });

  test('refuses a 5 s interval and a missing hostname', () => {
    const problems = refusal('cloudflare', { healthCheck: { intervalSeconds: 5 }, hostname: undefined });
    assert.deepEqual(
      problems.map((p) => p.split(':')[0]),
      ['federation.healthCheck.intervalSeconds', 'federation.hostname'],
    );
  });
});

describe('the federation section of the config', () => {
  test('every problem named with field, value and expectation, in one run', () => {
    assert.throws(
      () =>
        resolveConfig(
          {
            name: 'bad',
            functions: { whoami: { handler: 'src/app.whoami' } },
            routes: { 'GET /whoami': 'whoami' },
            federation: {
              endpoints: {
                aws: { url: 'https://a.example.com/', priority: 1 },
                azure: { url: 'https://b.example.com', priority: 1, weight: 300 },
              },
              healthCheck: { intervalSeconds: 0 },
            },
          },
          fixture,
        ),
      (error: Error) => {
        assert.match(error.message, /federation.endpoints.aws.url: expected an http\(s\) URL without a trailing "\/"/);
        assert.match(error.message, /federation.endpoints.azure.weight: expected 0 to 255/);
        assert.match(error.message, /federation.healthCheck.intervalSeconds: expected a number of seconds above 0/);
        return true;
      },
    );
    assert.throws(
      () =>
        configWith({
          fallback: 'gcp',
          endpoints: {
            aws: { url: 'https://a.example.com', priority: 1 },
            azure: { url: 'https://b.example.com', priority: 1 },
          },
        }),
      (error: Error) => {
        assert.match(error.message, /federation.fallback: unknown endpoint "gcp" \(known: aws, azure\)/);
        assert.match(
          error.message,
          /federation.endpoints.azure.priority: 1 is also aws's; failover needs a distinct priority/,
        );
        return true;
      },
    );
  });
});

describe('the CLI and the live view', () => {
  test('gantry export federation exits 1 and names what the product refuses', () => {
    const run = spawnSync(
      process.execPath,
      [
        fileURLToPath(new URL('../../bin/gantry.mjs', import.meta.url)),
        'export',
        'federation',
        '--target',
        'route53',
        '--config',
        fixture,
      ],
      { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
    );
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /Route 53 cannot express this federation/);
    assert.match(
      run.stderr,
      /federation.healthCheck.intervalSeconds: 1; Route 53 \(RequestInterval\) accepts 10 or 30/,
    );
    assert.match(run.stderr, /federation.endpoints.aws.url: port 4600/);
  });

  test('the live view: health, round trip, answers and share per endpoint, and the last resort', () => {
    const view = formatFederationView(
      {
        policy: 'failover',
        serving: ['aws'],
        lastResort: true,
        endpoints: [
          { id: 'aws', url: 'http://a', healthy: false, latencyMs: 3.25, answered: 30, probes: 12 },
          { id: 'azure', url: 'http://b', healthy: false, answered: 10, probes: 12 },
        ],
      },
      'http://127.0.0.1:3100',
      ['aws is now UNHEALTHY (probe 7)'],
    );
    assert.match(view, /aws\s+UNHEALTHY\s+3.3 ms\s+30 req\s+75.0 %\s+probes\s+12\s+http:\/\/a\s+◀ serving/);
    assert.match(view, /azure\s+UNHEALTHY\s+-\s+10 req\s+25.0 %/);
    assert.match(view, /no endpoint is healthy/);
    assert.match(view, /aws is now UNHEALTHY \(probe 7\)/);
  });
});
