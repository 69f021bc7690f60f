/**
 * A CLI command run in-process with console.log and console.error captured. `run` sees the lines
 * printed so far (a command that follows, like `gantry logs -f`, is driven by what it printed).
 */
export async function captureConsole(
  run: (out: string[]) => Promise<number>,
): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = console.log;
  const error = console.error;
  console.log = (...a: unknown[]) => out.push(a.join(' '));
  console.error = (...a: unknown[]) => err.push(a.join(' '));
  try {
    return { code: await run(out), out, err };
  } finally {
    console.log = log;
    console.error = error;
  }
}

/** The same, each stream's lines joined into one text. */
export async function captured(run: () => Promise<number>): Promise<{ code: number; out: string; err: string }> {
  const { code, out, err } = await captureConsole(run);
  return { code, out: out.join('\n'), err: err.join('\n') };
}
