/**
 * Cloudflare Load Balancing: the API request bodies of one monitor, one pool per endpoint (so
 * steering picks among endpoints) and the load balancer on `hostname`, plus `deploy.sh` sending them.
 */
import type { ResolvedFederation } from '../../config/index.ts';
import type { ExportResult, Unmapped } from '../result.ts';
import { endpointHosts, FederationExportError, needHostname, within } from './checks.ts';

const PRODUCT = 'Cloudflare Load Balancing';
const STEERING = { failover: 'off', weighted: 'random', latency: 'dynamic_latency' } as const;

export function exportCloudflare(federation: ResolvedFederation): ExportResult {
  const problems: string[] = [];
  const check = federation.healthCheck;
  // The lowest interval depends on the plan (UNVERIFIED: 60 s on Pro, 15 s Business, 10 s Enterprise).
  within(problems, 'federation.healthCheck.intervalSeconds', check.intervalSeconds, 10, 3600, PRODUCT);
  within(problems, 'federation.healthCheck.timeoutSeconds', check.timeoutSeconds, 1, 10, PRODUCT);
  const hostname = needHostname(federation, problems);
  const hosts = endpointHosts(federation, PRODUCT, problems);
  const schemes = new Set(hosts.map((h) => (h.https ? 'https' : 'http')));
  if (schemes.size > 1)
    problems.push('federation.endpoints: mixed http and https; one monitor probes every pool alike');
  if (problems.length) throw new FederationExportError(PRODUCT, problems);

  const maxWeight = Math.max(...hosts.map((h) => h.endpoint.weight), 1);
  const monitor = {
    type: [...schemes][0],
    method: 'GET',
    path: check.path,
    interval: check.intervalSeconds,
    timeout: check.timeoutSeconds,
    retries: 0,
    consecutive_down: check.failureThreshold,
    consecutive_up: check.failureThreshold,
    expected_codes: '2xx',
    follow_redirects: false,
    description: `gantry federation ${hostname}`,
  };
  const files: ExportResult['files'] = { 'monitor.json': `${JSON.stringify(monitor, null, 2)}\n` };
  for (const { endpoint, host } of hosts)
    files[`pools/${endpoint.id}.json`] = `${JSON.stringify(
      {
        name: endpoint.id,
        origins: [{ name: endpoint.id, address: host, enabled: true, weight: 1 }],
        monitor: 'MONITOR_ID',
      },
      null,
      2,
    )}\n`;
  const fallback = federation.fallback ?? hosts.at(-1)!.endpoint.id;
  const loadBalancer = {
    name: hostname,
    default_pools: hosts.map((h) => `POOL_${h.endpoint.id}`),
    fallback_pool: `POOL_${fallback}`,
    steering_policy: STEERING[federation.steering],
    ...(federation.steering === 'weighted'
      ? {
          random_steering: {
            default_weight: 0,
            pool_weights: Object.fromEntries(
              hosts.map((h) => [`POOL_${h.endpoint.id}`, Number((h.endpoint.weight / maxWeight).toFixed(3))]),
            ),
          },
        }
      : {}),
    proxied: true,
    description: `gantry federation across ${hosts.map((h) => h.endpoint.id).join(', ')}`,
  };
  files['load-balancer.json'] = `${JSON.stringify(loadBalancer, null, 2)}\n`;
  files['deploy.sh'] = deployScript(hosts.map((h) => h.endpoint.id));
  const unmapped: Unmapped[] = [];
  if (!federation.fallback)
    unmapped.push({
      feature: 'federation.fallback',
      reason: `${PRODUCT} sends traffic to one fallback pool when every pool is unhealthy, not to all`,
      instead: `the last endpoint in priority order (${fallback}) is the fallback pool`,
    });
  if (federation.steering === 'weighted')
    unmapped.push({
      feature: 'federation.endpoints.*.weight',
      reason: `${PRODUCT} pool weights run from 0 to 1`,
      instead: 'each weight divided by the largest',
    });
  unmapped.push({
    feature: 'federation.ttlSeconds',
    reason: 'a proxied load balancer answers with Cloudflare addresses and its own TTL',
    instead: 'not set',
  });
  return { files, unmapped };
}

function deployScript(ids: string[]): string {
  return `#!/usr/bin/env bash
# Creates the monitor, one pool per endpoint and the load balancer through Cloudflare's API.
# Needs: CF_API_TOKEN (Load Balancing: Monitors and Pools Edit, Load Balancers Edit), CF_ACCOUNT_ID, CF_ZONE_ID; curl, jq.
set -euo pipefail
cd "$(dirname "$0")"
api() { curl -fsS -H "Authorization: Bearer $CF_API_TOKEN" -H 'Content-Type: application/json' "$@"; }
base=https://api.cloudflare.com/client/v4
monitor=$(api -X POST "$base/accounts/$CF_ACCOUNT_ID/load_balancers/monitors" --data @monitor.json | jq -r .result.id)
lb=$(cat load-balancer.json)
${ids
  .map(
    (
      id,
    ) => `pool=$(jq --arg m "$monitor" '.monitor = $m' pools/${id}.json | api -X POST "$base/accounts/$CF_ACCOUNT_ID/load_balancers/pools" --data @- | jq -r .result.id)
lb=\${lb//POOL_${id}/$pool}`,
  )
  .join('\n')}
echo "$lb" | api -X POST "$base/zones/$CF_ZONE_ID/load_balancers" --data @- | jq .result.name
`;
}
