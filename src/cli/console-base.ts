/** Which console a command talks to: the flags' when given, else the running gantry dev of `--config`. */
import { httpOrigin } from '../config/index.ts';
import { findConsole } from '../console/index.ts';
import { intFlag } from './args.ts';

export interface ConsoleFlags {
  config: string;
  'console-port'?: string;
  'console-host': string;
}

/** `--console-port` (with `--console-host`) wins; without it, the state file of `--config`'s gantry dev. */
export function consoleBase(values: ConsoleFlags): Promise<string> {
  return values['console-port'] === undefined
    ? findConsole(values.config, 'pass --console-port N')
    : Promise.resolve(httpOrigin(values['console-host'], intFlag(values['console-port'], 'console-port', 0, 1)));
}
