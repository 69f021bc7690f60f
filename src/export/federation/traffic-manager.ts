/**
 * Azure Traffic Manager: an ARM template of one profile (Priority, Weighted or Performance routing)
 * with an External endpoint per federation endpoint and the HTTP(S) monitor.
 * Deploy: `az deployment group create -g RG -f traffic-manager.json`, then CNAME `hostname` to the
 * profile's `<relativeName>.trafficmanager.net`.
 */
import type { ResolvedFederation } from '../../config/index.ts';
import type { ExportResult, Unmapped } from '../result.ts';
import { endpointHosts, FederationExportError, needHostname, oneOf, within } from './checks.ts';

const PRODUCT = 'Traffic Manager';
const METHOD = { failover: 'Priority', weighted: 'Weighted', latency: 'Performance' } as const;

export function exportTrafficManager(federation: ResolvedFederation, profileName: string): ExportResult {
  const problems: string[] = [];
  const check = federation.healthCheck;
  oneOf(problems, 'federation.healthCheck.intervalSeconds', check.intervalSeconds, [10, 30], PRODUCT);
  // Fast probing (10 s) allows timeouts of 5 to 9 s; normal probing 5 to 10 s.
  within(
    problems,
    'federation.healthCheck.timeoutSeconds',
    check.timeoutSeconds,
    5,
    check.intervalSeconds === 10 ? 9 : 10,
    PRODUCT,
  );
  // Traffic Manager counts the failures it tolerates, 0–9: unhealthy at tolerated + 1.
  within(
    problems,
    'federation.healthCheck.failureThreshold',
    check.failureThreshold,
    1,
    10,
    `${PRODUCT} (tolerated failures 0–9, plus one)`,
  );
  const hostname = needHostname(federation, problems);
  const hosts = endpointHosts(federation, PRODUCT, problems);
  for (const { endpoint } of hosts) {
    if (federation.steering === 'weighted')
      within(problems, `federation.endpoints.${endpoint.id}.weight`, endpoint.weight, 1, 1000, PRODUCT);
    within(problems, `federation.endpoints.${endpoint.id}.priority`, endpoint.priority, 1, 1000, PRODUCT);
    if (federation.steering === 'latency' && !endpoint.location)
      problems.push(
        `federation.endpoints.${endpoint.id}.location: missing; ${PRODUCT} Performance routing needs the Azure region nearest the endpoint (e.g. "West Europe")`,
      );
  }
  if (federation.fallback)
    problems.push(
      `federation.fallback: "${federation.fallback}"; ${PRODUCT} has no fallback endpoint (all degraded ⇒ all returned)`,
    );
  const protocols = new Set(hosts.map((h) => `${h.https ? 'HTTPS' : 'HTTP'}:${h.port}`));
  if (protocols.size > 1)
    problems.push(
      `federation.endpoints: mixed schemes or ports (${[...protocols].join(', ')}); one ${PRODUCT} monitor probes them all alike`,
    );
  if (problems.length) throw new FederationExportError(PRODUCT, problems);

  const [protocol, port] = [...protocols][0].split(':');
  const template = {
    $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
    contentVersion: '1.0.0.0',
    metadata: { generator: 'gantry export federation --target traffic-manager', hostname },
    parameters: {
      profileName: { type: 'string', defaultValue: profileName },
      relativeName: {
        type: 'string',
        defaultValue: profileName,
        metadata: { description: '<relativeName>.trafficmanager.net' },
      },
    },
    resources: [
      {
        type: 'Microsoft.Network/trafficmanagerprofiles',
        apiVersion: '2022-04-01',
        name: "[parameters('profileName')]",
        location: 'global',
        properties: {
          profileStatus: 'Enabled',
          trafficRoutingMethod: METHOD[federation.steering],
          dnsConfig: { relativeName: "[parameters('relativeName')]", ttl: federation.ttlSeconds },
          monitorConfig: {
            protocol,
            port: Number(port),
            path: check.path,
            intervalInSeconds: check.intervalSeconds,
            timeoutInSeconds: check.timeoutSeconds,
            toleratedNumberOfFailures: check.failureThreshold - 1,
            expectedStatusCodeRanges: [{ min: 200, max: 399 }],
          },
          endpoints: hosts.map(({ endpoint, host }) => ({
            name: endpoint.id,
            type: 'Microsoft.Network/trafficManagerProfiles/externalEndpoints',
            properties: {
              target: host,
              endpointStatus: 'Enabled',
              ...(federation.steering === 'weighted' ? { weight: endpoint.weight } : {}),
              priority: endpoint.priority,
              ...(endpoint.location ? { endpointLocation: endpoint.location } : {}),
            },
          })),
        },
      },
    ],
    outputs: {
      fqdn: { type: 'string', value: "[reference(parameters('profileName')).dnsConfig.fqdn]" },
    },
  };
  const unmapped: Unmapped[] = [
    {
      feature: 'federation.hostname',
      reason: `${PRODUCT} answers <relativeName>.trafficmanager.net`,
      instead: `CNAME ${hostname} to the template's fqdn output`,
    },
  ];
  return { files: { 'traffic-manager.json': `${JSON.stringify(template, null, 2)}\n` }, unmapped };
}
