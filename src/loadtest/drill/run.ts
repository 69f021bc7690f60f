/**
 * `gantry drill failover`: load through the global endpoint, one region taken down and brought back,
 * then RTO, RPO, fail-back and replication catch-up measured from the events gantry dev records
 * (its own clock, so no polling error) and a final check that every acknowledged write is in every
 * region. The load is bounded by the drill itself: it is stopped once the sequence has finished.
 */
import type { RunPlan } from '../plan.ts';
import type { LoadTestResult } from '../result.ts';
import { runPlan } from '../run.ts';
import type { DrillCheck, DrillEvent, DrillReport, DrillTargets, DrillView, RegionsPort } from './types.ts';

export interface DrillOptions {
  /** The region to take down. @default the one the global endpoint serves from */
  region?: string;
  outageMs: number;
  targets: DrillTargets;
  /** Builds the load plan against the global endpoint. */
  plan(baseUrl: string): Promise<RunPlan>;
  /** Load before the outage. @default 3000 */
  warmupMs?: number;
  /** The TTL clients cache the global record for, in AWS (an alias to an API Gateway domain: 60 s). @default 60 */
  dnsTtlSeconds?: number;
  /** Told about each step, for the terminal. */
  onStep?(message: string): void;
  workers?: number;
}

export class DrillError extends Error {
  override name = 'DrillError';
}

const POLL_MS = 100;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `done(view)`; false when `timeoutMs` passed first. */
async function until(
  port: RegionsPort,
  done: (view: DrillView) => boolean,
  timeoutMs: number,
): Promise<DrillView | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const view = await port.view();
    if (done(view)) return view;
    await sleep(POLL_MS);
  }
  return undefined;
}

const servingList = (event: DrillEvent) => (event.detail ?? '').split(' ')[0].split(',').filter(Boolean);

export async function runFailoverDrill(port: RegionsPort, options: DrillOptions): Promise<DrillReport> {
  const step = options.onStep ?? (() => {});
  const before = await port.view();
  if (before.regions.length < 2 || !before.url || !before.healthCheck) {
    throw new DrillError('gantry dev serves one region: set regions.secondary in the config to rehearse a failover');
  }
  for (const r of before.regions) {
    if (r.status === 'down')
      throw new DrillError(`${r.region} is down: bring it up first (gantry region up ${r.region})`);
    if (!r.healthy) throw new DrillError(`${r.region} is unhealthy: its health check fails; fix that before a drill`);
  }
  const region = options.region ?? before.routing.serving[0];
  if (!before.regions.some((r) => r.region === region)) {
    throw new DrillError(`--region: "${region}" is not one of ${before.regions.map((r) => r.region).join(', ')}`);
  }
  const others = before.regions.map((r) => r.region).filter((r) => r !== region);
  const hc = before.healthCheck;
  const intervalMs = hc.localIntervalSeconds * 1000;
  // Detection takes threshold probes; allow three times that, plus the cold starts of a warm standby.
  const flipTimeoutMs = 3 * hc.failureThreshold * intervalMs + 15_000;
  const plan = await options.plan(before.url);

  const startedAt = Date.now();
  const controller = new AbortController();
  step(`load through ${before.url}: ${plan.scenarios.map((s) => s.name).join(', ')}`);
  // Warm-up counts from the first answered request: starting the load's workers takes seconds.
  let loadStarted: () => void = () => {};
  const started = new Promise<void>((resolve) => {
    loadStarted = resolve;
  });
  const load: Promise<LoadTestResult> = runPlan(plan, {
    signal: controller.signal,
    workers: options.workers ?? 1,
    onProgress: (progress) => {
      if (progress.requests > 0) loadStarted();
    },
  });
  let result: LoadTestResult;
  let rpo = { count: 0, ageMs: 0 };
  let downed = false;
  let caughtUpAt: number | undefined;
  let probesAtDown: number | undefined;
  try {
    const first = await Promise.race([
      started.then(() => true),
      load.then(() => false),
      sleep(60_000).then(() => false),
    ]);
    if (!first) throw new DrillError(`the load sent no request through ${before.url} within 60 s: check the scenario`);
    await sleep(options.warmupMs ?? 3000);
    const atDown = await port.setStatus(region, 'down');
    const downAt = Date.now();
    downed = true;
    const failed = atDown.regions.find((r) => r.region === region)!;
    probesAtDown = failed.healthCheck?.probes;
    rpo = { count: failed.pendingOut, ageMs: failed.oldestPendingOutMs };
    step(`${region} down: ${rpo.count} writes not yet replicated (oldest ${rpo.ageMs} ms)`);
    const moved = await until(port, (v) => !v.routing.serving.includes(region) || v.routing.lastResort, flipTimeoutMs);
    step(
      moved
        ? `global endpoint serving from ${moved.routing.serving.join(', ')}`
        : `global endpoint still serving ${region}`,
    );
    await sleep(Math.max(0, options.outageMs - (Date.now() - downAt)));
    await port.setStatus(region, 'up');
    const upAt = Date.now();
    downed = false;
    step(`${region} up`);
    const back = await until(port, (v) => v.routing.serving.includes(region), flipTimeoutMs);
    step(
      back ? `global endpoint serving from ${back.routing.serving.join(', ')} again` : `${region} not served again yet`,
    );
    // Caught up once no write still pending is older than the region's return: the backlog held
    // during the outage is applied (writes made since keep arriving after the usual lag).
    const caughtUp = await until(port, (v) => v.regions.every((r) => r.replicationLagMs <= Date.now() - upAt), 60_000);
    caughtUpAt = caughtUp ? Date.now() : undefined;
    step(caughtUp ? 'replication caught up' : 'replication still behind after 60 s');
  } finally {
    controller.abort();
    result = await load;
    // Never leave a region down behind the user's back, whatever failed.
    if (downed) await port.setStatus(region, 'up').catch(() => undefined);
  }
  // Writes answered in the last moments of the load replicate after the lag.
  await until(port, (v) => v.regions.every((r) => r.pendingIn === 0), 60_000);
  const consistency = await port.consistency(startedAt);
  const endedAt = Date.now();
  const events = (await port.events()).filter((e) => e.at >= startedAt);

  const tDown = events.find((e) => e.type === 'down' && e.region === region)?.at;
  const tUp = events.find((e) => e.type === 'up' && e.region === region)?.at;
  const servedBefore = before.routing.serving.includes(region);
  const tMoved =
    tDown === undefined
      ? undefined
      : servedBefore
        ? events.find((e) => e.type === 'serving' && e.at >= tDown && !servingList(e).includes(region))?.at
        : tDown;
  const tBack =
    tUp === undefined
      ? undefined
      : servedBefore
        ? events.find((e) => e.type === 'serving' && e.at >= tUp && servingList(e).includes(region))?.at
        : tUp;
  const flip = events.find((e) => e.type === 'unhealthy' && e.region === region);
  const flipProbe = flip?.detail ? Number(flip.detail.replace(/^probe /, '')) : undefined;
  // The probes completed when the region went down, as gantry dev recorded them; the view read after
  // the down answer may count one more (a probe in flight failing meanwhile).
  const downEvent = events.find((e) => e.type === 'down' && e.region === region);
  const downProbe = downEvent?.detail ? Number(downEvent.detail.replace(/^probe /, '')) : probesAtDown;
  const rtoMs = tDown !== undefined && tMoved !== undefined ? tMoved - tDown : undefined;

  const timeline = result.timeline.map((p) => ({
    t: (result.startEpochMs - startedAt) / 1000 + p.t,
    seconds: p.seconds,
    requests: p.requests,
    failed: p.failed,
  }));
  const windowEnd = tMoved ?? endedAt;
  const failedDuringFailover =
    tDown === undefined
      ? 0
      : timeline
          .filter((p) => startedAt + p.t * 1000 > tDown && startedAt + (p.t - p.seconds) * 1000 < windowEnd + 1000)
          .reduce((sum, p) => sum + p.failed, 0);
  const aws = {
    intervalSeconds: hc.intervalSeconds,
    failureThreshold: hc.failureThreshold,
    dnsTtlSeconds: options.dnsTtlSeconds ?? 60,
    rtoSeconds: hc.intervalSeconds * hc.failureThreshold + (options.dnsTtlSeconds ?? 60),
  };
  const total = Object.values(result.statuses).reduce((a, b) => a + b, 0);
  const failedRequests = result.metrics.http_req_failed?.values.passes ?? 0;
  const checks: DrillCheck[] = [
    {
      name: 'RTO',
      ok: rtoMs !== undefined && rtoMs <= options.targets.rtoMs,
      detail:
        rtoMs === undefined
          ? `the global endpoint never stopped serving ${region}`
          : `${(rtoMs / 1000).toFixed(1)} s (target ${options.targets.rtoMs / 1000} s)`,
    },
    {
      name: 'RPO',
      ok: rpo.ageMs <= options.targets.rpoMs,
      detail: `${rpo.count} writes, oldest ${(rpo.ageMs / 1000).toFixed(1)} s old (target ${options.targets.rpoMs / 1000} s)`,
    },
    {
      name: 'fail-back',
      ok: tBack !== undefined,
      detail:
        tBack !== undefined && tUp !== undefined
          ? `${((tBack - tUp) / 1000).toFixed(1)} s after up`
          : `${region} was not served again`,
    },
    {
      name: 'replication',
      ok: consistency.divergentCount === 0 && consistency.pending === 0,
      detail:
        consistency.divergentCount === 0 && consistency.pending === 0
          ? `all ${consistency.checked} items written during the drill are in every region`
          : `${consistency.divergentCount} items differ, ${consistency.pending} writes still pending: ${consistency.divergent
              .slice(0, 3)
              .map((d) => `${d.table} ${JSON.stringify(d.key)} ${d.detail}`)
              .join('; ')}`,
    },
  ];
  return {
    region,
    otherRegions: others,
    policy: before.routing.policy,
    startedAt,
    endedAt,
    targets: options.targets,
    outageMs: tDown !== undefined && tUp !== undefined ? tUp - tDown : options.outageMs,
    rtoMs,
    detectionProbes: flipProbe !== undefined && downProbe !== undefined ? flipProbe - downProbe : undefined,
    aws,
    localIntervalSeconds: hc.localIntervalSeconds,
    rpo,
    failedDuringFailover,
    requests: { total, failed: failedRequests },
    failbackMs: tBack !== undefined && tUp !== undefined ? tBack - tUp : undefined,
    catchUpMs: caughtUpAt !== undefined && tUp !== undefined ? caughtUpAt - tUp : undefined,
    consistency,
    events,
    timeline,
    checks,
    passed: checks.every((c) => c.ok),
  };
}
