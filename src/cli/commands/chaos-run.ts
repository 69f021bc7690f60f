/** `gantry chaos run NAME`: wiring of an experiment to the running gantry dev's console API. */
import { writeFile } from 'node:fs/promises';
import type { ExperimentHost, Fault } from '../../chaos/index.ts';
import { formatVerdict, renderExperimentReport, runExperiment } from '../../chaos/index.ts';
import { httpOrigin, loadConfig } from '../../config/index.ts';
import { type ApiStatus, fetchConsoleJson, fetchRegions, findInstance, sendConsoleJson } from '../../console/index.ts';
import { localToken } from '../../identity/index.ts';
import { intFlag, UsageError } from '../args.ts';
import type { ChaosValues } from './chaos.ts';

export async function runExperimentCommand(values: ChaosValues, words: string[]): Promise<number> {
  if (words.length !== 1) throw new UsageError('run: expected one experiment NAME (chaos.experiments in the config)');
  const config = await loadConfig(values.config);
  let consoleUrl: string;
  let apiUrl: string;
  if (values['console-port'] === undefined) {
    const instance = await findInstance(values.config, 'pass --console-port N');
    if (!instance.consoleUrl) throw new Error('gantry dev runs with --no-console: experiments need its console');
    consoleUrl = instance.consoleUrl;
    apiUrl = instance.apiUrl;
  } else {
    consoleUrl = httpOrigin(values['console-host'], intFlag(values['console-port'], 'console-port', 0, 1));
    // Two regions: the load goes through the global endpoint, as it does from the instance file
    // (the console runs beside the primary, whose own URL /api/status gives).
    const global = await fetchRegions(consoleUrl).then(
      (view) => view.url,
      () => undefined,
    );
    apiUrl = global ?? (await fetchConsoleJson<ApiStatus>(consoleUrl, '/api/status')).api.url;
  }
  const host: ExperimentHost = {
    baseUrl: apiUrl,
    inject: (request) => sendConsoleJson<Fault>(consoleUrl, 'POST', '/api/chaos/faults', request),
    stop: (id) =>
      sendConsoleJson<Fault>(consoleUrl, 'DELETE', `/api/chaos/faults/${encodeURIComponent(id)}`).catch(
        async (error: Error) => {
          // 404 for a fault whose duration ran out first: nothing left to remove.
          const known = (await fetchConsoleJson<Fault[]>(consoleUrl, '/api/chaos/faults')).find((f) => f.id === id);
          if (known?.endReason !== undefined) return undefined;
          throw error;
        },
      ),
    faults: () => fetchConsoleJson<Fault[]>(consoleUrl, '/api/chaos/faults'),
    alarms: async () =>
      (await fetchConsoleJson<{ alarms: { alarmName: string; state: string }[] }>(consoleUrl, '/api/alarms')).alarms,
    counters: async () => {
      const status = await fetchConsoleJson<ApiStatus>(consoleUrl, '/api/status');
      return Object.fromEntries(status.functions.map((f) => [f.name, f]));
    },
  };
  const seed = values.seed === undefined ? undefined : intFlag(values.seed, 'seed', 0, 0, 2 ** 31 - 1);
  const token = config.experiments[words[0]]?.load.token;
  const authorization = token ? `Bearer ${await localToken({ config: config.file, ...token })}` : undefined;
  const result = await runExperiment(config, words[0], host, {
    seed,
    authorization,
    region: values.region,
    onEvent: (line) => console.error(line),
  });
  console.log(formatVerdict(result));
  if (values.report) {
    await writeFile(values.report, renderExperimentReport(result));
    console.error(`report: ${values.report}`);
  }
  return result.exitCode;
}
