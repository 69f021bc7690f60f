/** The gantry binary as a user runs it, for the CLI tests: a separate process, its output, its exit. */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const env = { ...process.env, NO_COLOR: '1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };

export function gantry(args: string[], input?: string) {
  return spawnSync(process.execPath, ['bin/gantry.mjs', ...args], {
    cwd: root,
    env,
    input,
    encoding: 'utf8',
    timeout: 60_000,
  });
}

/** `gantry ARGS` as a child process, with everything it prints (stdout and stderr, in order) so far. */
export function spawnGantry(args: string[]): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ['bin/gantry.mjs', ...args], { cwd: root, env });
  let text = '';
  child.stdout?.on('data', (d) => {
    text += d;
  });
  child.stderr?.on('data', (d) => {
    text += d;
  });
  return { child, output: () => text };
}

/** Starts `gantry dev` and resolves once its banner shows the API URL. */
export async function startDev(args: string[]): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const { child, output } = spawnGantry(['dev', '--port', '0', '--in-memory', ...args]);
  for (let i = 0; i < 600; i++) {
    const text = output();
    const match = /^ {2}API\s+(http:\/\/\S+)/m.exec(text);
    if (match) return { child, url: match[1], output };
    if (child.exitCode !== null) throw new Error(`gantry dev exited ${child.exitCode}:\n${text}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`no banner within 60 s:\n${output()}`);
}
