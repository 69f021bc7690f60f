/** How `gantry dev` prints to a terminal: colour only for a TTY without NO_COLOR. */
import { styleText } from 'node:util';
import { DEPLOYED_LAMBDA_RUNTIME } from '../config/index.ts';
import type { FunctionLogEvent } from '../runtime/types.ts';

type Style = Parameters<typeof styleText>[0];

const useColour = process.stdout.isTTY === true && !process.env.NO_COLOR;

export function paint(style: Style, text: string): string {
  return useColour ? styleText(style, text) : text;
}

const KIND_STYLE: Record<FunctionLogEvent['kind'], Style> = {
  start: 'dim',
  end: 'dim',
  report: 'cyan',
  app: 'reset',
  timeout: 'red',
  error: 'red',
};

/** One function log line as `[orders] START RequestId: …`, coloured by kind. */
export function formatFunctionLog(event: FunctionLogEvent): string {
  return `${paint('magenta', `[${event.functionName}]`)} ${paint(KIND_STYLE[event.kind], event.message)}`;
}

/**
 * `print`, with every line of what it prints starting with `label` (a region of a two-region
 * `gantry dev`), a stack trace's lines included, so that each line says where it came from.
 */
export function labelledLines(label: string, print: (line: string) => void): (text: string) => void {
  const prefix = `${paint('blue', label)} `;
  return (text) => print(prefix + (text.includes('\n') ? text.replaceAll('\n', `\n${prefix}`) : text));
}

/** A box-less banner: loud enough to be read, plain enough to be grepped. */
export function warningBlock(title: string, lines: string[]): string {
  const bar = paint(['bold', 'yellow'], '!'.repeat(78));
  return [bar, paint(['bold', 'yellow'], `! ${title}`), ...lines.map((l) => paint('yellow', `!   ${l}`)), bar].join(
    '\n',
  );
}

/**
 * The warning for a handler that answered through Lambda's callback: once per function. It runs here
 * (Node 20) and on nodejs22.x, but `gantry deploy` uses a runtime that no longer has callbacks.
 */
export function callbackWarnings(print: (line: string) => void): (functionName: string) => void {
  const told = new Set<string>();
  return (functionName) => {
    if (told.has(functionName)) return;
    told.add(functionName);
    print(
      paint(
        'yellow',
        `⚠ [${functionName}] answered through Lambda's callback (or context.done/succeed/fail): ${DEPLOYED_LAMBDA_RUNTIME}, the runtime gantry deploy uses, has no callback-style handlers (Lambda removed them from nodejs24.x on), so this function fails there. Make the handler async and return its result, or throw.`,
      ),
    );
  };
}

/**
 * The warning for an environment that froze with timers or sockets pending (RuntimeObserver.onFrozen):
 * once per function and kind of leftover, so a handler that always leaves a timer is not shouted
 * about on every request.
 */
export function frozenWarnings(
  print: (line: string) => void,
): (functionName: string, requestId: string | undefined, pending: string[]) => void {
  const told = new Set<string>();
  return (functionName, requestId, pending) => {
    const counts = new Map<string, number>();
    // File operations are frozen too but not warned about: the AWS SDK itself leaves reads of
    // ~/.aws/config in flight after a call, harmless in AWS as here. Timers and sockets are the
    // fire-and-forget work that gets lost.
    for (const kind of pending) if (!kind.startsWith('FSReq')) counts.set(kind, (counts.get(kind) ?? 0) + 1);
    if (counts.size === 0) return;
    const key = `${functionName}\u0000${[...counts.keys()].sort().join(',')}`;
    if (told.has(key)) return;
    told.add(key);
    const what = [...counts].map(([kind, n]) => `${n} × ${kind}`).join(', ');
    const after = requestId ? `its answer to ${requestId}` : 'its init';
    print(
      paint(
        'yellow',
        `⚠ [${functionName}] work still pending after ${after} (${what}): Lambda freezes the environment once it has answered, so that work runs late, in a later invocation, or never; gantry dev froze it too. Await it before returning.`,
      ),
    );
  };
}
