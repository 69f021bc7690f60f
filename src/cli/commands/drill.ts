/** `gantry drill failover`: wiring only; the drill is in src/loadtest/drill, the regions API in src/console. */
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { REGION_OUTAGE_ACTION } from '../../config/index.ts';
import {
  ConsoleUnreachableError,
  type FaultView,
  fetchRegionEvents,
  fetchRegions,
  fetchRegionsConsistency,
  sendConsoleJson,
  setRegionStatus,
} from '../../console/index.ts';
import {
  DrillError,
  loadScenarioFile,
  parseDuration,
  type RegionsPort,
  renderDrillHtml,
  renderDrillSummary,
  runFailoverDrill,
  ScenarioError,
} from '../../loadtest/index.ts';
import { parseFlags, UsageError } from '../args.ts';
import type { Command } from '../command.ts';
import { consoleBase } from '../console-base.ts';

const usage = `Usage: gantry drill failover [flags]

Rehearses a region failure on a running two-region \`gantry dev\`: drives load through the global
endpoint, takes a region down (the chaos fault gantry:region:outage: connections refused, replication
held; it ends by itself 2 minutes past --outage should the drill die), brings it back, and reports
RTO (down → the global endpoint answers from the other region) beside what the same health-check
settings give in AWS (RequestInterval × FailureThreshold + DNS TTL), failed requests, RPO (writes
acknowledged in the failed region and not yet replicated: count and age), fail-back and replication
catch-up times, and checks that every write made during the drill is in both regions.
Exit code 0 when every target is met, 99 otherwise (k6's code).

Flags:
  --config PATH         api.config.ts; its folder's load/drill.ts is the default scenario
  --region R            the region to take down (default: the one the global endpoint serves from)
  --scenario FILE       load scenario (gantry load's format); it should last longer than the drill,
                        which stops it once done (default: load/drill.ts beside the config)
  --outage D            how long the region stays down (default 30s)
  --rto D               recovery time objective: the longest acceptable failover (default 60s)
  --rpo D               recovery point objective: the oldest acceptable unreplicated write (default 5s)
  --report FILE         also write an HTML report with a timeline chart
  --console-port N      use the console on this port instead (default: found from the config's gantry dev)
  --console-host ADDR   with --console-port: the console's address (default 127.0.0.1)
  --json                print the report as JSON

Example:
  gantry drill failover --config examples/orders/api.config.ts --outage 10s --report drill.html`;

/** How long past `--outage` the outage fault may outlive a drill that died: it ends by itself then. */
const OUTAGE_MARGIN_MS = 120_000;

function durationFlag(value: string, flag: string): number {
  const ms = parseDuration(value);
  if (ms === undefined) throw new UsageError(`--${flag}: expected a duration such as 30s, 2m or 500ms, got "${value}"`);
  return ms;
}

export const command: Command = {
  name: 'drill',
  summary: 'failover drill on a running two-region gantry dev: RTO, RPO, fail-back, replication',
  usage,
  async run(args) {
    const { values, positionals } = parseFlags(
      args,
      {
        config: { type: 'string', default: 'api.config.ts' },
        region: { type: 'string' },
        scenario: { type: 'string' },
        outage: { type: 'string', default: '30s' },
        rto: { type: 'string', default: '60s' },
        rpo: { type: 'string', default: '5s' },
        report: { type: 'string' },
        'console-port': { type: 'string' },
        'console-host': { type: 'string', default: '127.0.0.1' },
        json: { type: 'boolean', default: false },
      },
      usage,
    );
    if (positionals.length !== 1 || positionals[0] !== 'failover') {
      throw new UsageError(`expected \`gantry drill failover\`, got ${positionals.join(' ') || 'nothing'}\n\n${usage}`);
    }
    const outageMs = durationFlag(values.outage, 'outage');
    const targets = { rtoMs: durationFlag(values.rto, 'rto'), rpoMs: durationFlag(values.rpo, 'rpo') };
    const scenario = resolve(values.scenario ?? join(dirname(resolve(values.config)), 'load', 'drill.ts'));
    let base: string;
    try {
      base = await consoleBase(values);
    } catch (error) {
      if (error instanceof UsageError) throw error;
      console.error(`gantry drill: ${(error as Error).message}`);
      return 1;
    }
    // The outage is a chaos fault (gantry:region:outage), as an experiment's would be: the console
    // lists it while it lasts, and should this command die mid-drill the region still comes back
    // when the fault's duration (the outage plus a margin) runs out.
    let outage: string | undefined;
    const port: RegionsPort = {
      view: () => fetchRegions(base),
      async setStatus(region, status) {
        if (status === 'down') {
          const fault = await sendConsoleJson<FaultView>(base, 'POST', '/api/chaos/faults', {
            action: REGION_OUTAGE_ACTION,
            target: region,
            duration: (outageMs + OUTAGE_MARGIN_MS) / 1000,
            source: 'drill failover',
          });
          outage = fault.id;
        } else if (outage) {
          const id = outage;
          outage = undefined;
          // Already ended (its duration ran out): the region is up again anyway.
          await sendConsoleJson(base, 'DELETE', `/api/chaos/faults/${id}`).catch(() => undefined);
        } else return setRegionStatus(base, region, status);
        return fetchRegions(base);
      },
      events: () => fetchRegionEvents(base),
      consistency: (since) => fetchRegionsConsistency(base, since),
    };
    try {
      const report = await runFailoverDrill(port, {
        region: values.region,
        outageMs,
        targets,
        plan: (baseUrl) => loadScenarioFile(scenario, { baseUrl }),
        onStep: values.json ? undefined : (message) => console.log(`· ${message}`),
      });
      if (values.json) console.log(JSON.stringify(report, null, 2));
      else console.log(`\n${renderDrillSummary(report)}`);
      if (values.report) {
        writeFileSync(values.report, renderDrillHtml(report));
        if (!values.json) console.log(`report: ${values.report}`);
      }
      return report.passed ? 0 : 99;
    } catch (error) {
      // Whatever went wrong (the console unreachable, a region not ready, a bad scenario), one line.
      if (
        !(error instanceof ConsoleUnreachableError || error instanceof DrillError || error instanceof ScenarioError)
      ) {
        console.error(`gantry drill: ${(error as Error).message}`);
        return 2;
      }
      console.error(`gantry drill: ${error.message}`);
      return 1;
    }
  },
};
