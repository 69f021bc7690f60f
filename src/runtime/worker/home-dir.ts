/**
 * Lambda runs a function as a sandbox user whose home directory holds nothing: `os.homedir()` there
 * names `/home/sbx_user1051`, and no `~/.aws/config` or `~/.aws/credentials` exists. Locally a worker's
 * `os.homedir()` would be the developer's home (the process's HOME), where the AWS SDK finds the
 * developer's shared config files (retry mode, max attempts, endpoints, profiles) and a handler could
 * pass here only because of them. Each environment answers as Lambda does instead.
 */

import { syncBuiltinESMExports } from 'node:module';
import os from 'node:os';

/** What `os.homedir()` answers in a Lambda execution environment. */
export const LAMBDA_HOME = '/home/sbx_user1051';

export function useLambdaHome(): void {
  os.homedir = () => LAMBDA_HOME;
  // `import { homedir } from 'node:os'` in the handler's bundle sees the same answer.
  syncBuiltinESMExports();
}
