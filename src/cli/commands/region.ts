import { ConsoleUnreachableError, fetchRegions, type RegionsView, setRegionStatus } from '../../console/index.ts';
import { parseFlags, UsageError } from '../args.ts';
import type { Command } from '../command.ts';
import { consoleBase } from '../console-base.ts';
import { paint } from '../terminal.ts';

const usage = `Usage: gantry region down|up REGION [flags]
       gantry region status

Takes one region of a running two-region \`gantry dev\` down, or brings it back. A region that is
down refuses connections (its API port is closed, open connections are cut) and its replication is
held; the global endpoint fails over once its health check has failed failureThreshold times in a
row. \`up\` reopens the port, replication drains, and the health check brings traffic back.

Flags:
  --config PATH         api.config.ts whose running gantry dev to use (default ./api.config.ts)
  --console-port N      use the console on this port instead (default: found from the config's gantry dev)
  --console-host ADDR   with --console-port: the console's address (default 127.0.0.1)
  --json                print the regions as JSON (GET /api/regions of the console)

Examples:
  gantry region down us-east-1
  gantry region status
  gantry region up us-east-1`;

/** One line per region, then what the global endpoint serves. */
export function formatRegions(view: RegionsView): string {
  const lines = view.regions.map((r) => {
    const state = r.status === 'down' ? paint(['bold', 'red'], 'DOWN') : paint('green', 'up  ');
    const health = r.healthy ? paint('green', 'healthy  ') : paint('red', 'unhealthy');
    const probe = r.healthCheck?.lastReason ? paint('dim', ` (last probe: ${r.healthCheck.lastReason})`) : '';
    const replication = `replication: ${r.pendingIn} pending in, lag ${r.replicationLagMs} ms; ${r.pendingOut} not yet elsewhere`;
    return `  ${r.region.padEnd(12)} ${state} ${health} ${r.url}  ${replication}${probe}`;
  });
  const serving =
    view.routing.serving.join(', ') + (view.routing.lastResort ? ' (no region healthy: Route 53 answers so)' : '');
  return [...lines, `  global       ${view.url ?? ''}  ${view.routing.policy}: serving ${paint('bold', serving)}`].join(
    '\n',
  );
}

export const command: Command = {
  name: 'region',
  summary: 'take a region of a running two-region gantry dev down or up; show the regions',
  usage,
  async run(args) {
    const { values, positionals } = parseFlags(
      args,
      {
        'console-port': { type: 'string' },
        'console-host': { type: 'string', default: '127.0.0.1' },
        json: { type: 'boolean', default: false },
        config: { type: 'string', default: 'api.config.ts' },
      },
      usage,
    );
    const [action, region, ...rest] = positionals;
    if (action === undefined) throw new UsageError(`expected down, up or status\n\n${usage}`);
    if (!['down', 'up', 'status'].includes(action)) {
      throw new UsageError(`"${action}" is not one of down, up, status\n\n${usage}`);
    }
    if (action !== 'status' && region === undefined)
      throw new UsageError(`gantry region ${action}: name the REGION\n\n${usage}`);
    if (rest.length > 0 || (action === 'status' && region !== undefined)) {
      throw new UsageError(`unexpected ${[...(action === 'status' ? [region] : []), ...rest].join(' ')}\n\n${usage}`);
    }
    let base: string;
    try {
      base = await consoleBase(values);
    } catch (error) {
      if (error instanceof UsageError) throw error;
      console.error(`gantry region: ${(error as Error).message}`);
      return 1;
    }
    try {
      const view =
        action === 'status' ? await fetchRegions(base) : await setRegionStatus(base, region!, action as 'down' | 'up');
      if (values.json) console.log(JSON.stringify(view, null, 2));
      else {
        if (action !== 'status')
          console.log(`${region} is ${action === 'down' ? paint(['bold', 'red'], 'down') : paint('green', 'up')}`);
        console.log(formatRegions(view));
      }
      return 0;
    } catch (error) {
      console.error(`gantry region: ${(error as Error).message}`);
      return error instanceof ConsoleUnreachableError ? 1 : 2;
    }
  },
};
