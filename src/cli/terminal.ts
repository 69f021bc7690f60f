/** How `gantry dev` prints to a terminal: colour only for a TTY without NO_COLOR. */
import { styleText } from 'node:util';
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

/** A box-less banner: loud enough to be read, plain enough to be grepped. */
export function warningBlock(title: string, lines: string[]): string {
  const bar = paint(['bold', 'yellow'], '!'.repeat(78));
  return [bar, paint(['bold', 'yellow'], `! ${title}`), ...lines.map((l) => paint('yellow', `!   ${l}`)), bar].join(
    '\n',
  );
}
