/** Binding `gantry dev`'s ports: a port in use is an error naming the flag that moves it. */

/** A port `gantry dev` needs is taken: says which one and the flag that moves it. */
export class PortInUseError extends Error {
  override name = 'PortInUseError';
}

/** Runs a listen step; a port already in use becomes a PortInUseError naming `what` and its flag. */
export async function listening<T>(what: string, flag: string, host: string, port: number, listen: () => Promise<T>) {
  try {
    return await listen();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    throw new PortInUseError(
      `the ${what} port ${port} on ${host} is already in use (another gantry dev?): stop what holds it, or pass ${flag} N (0 picks a free port)`,
    );
  }
}
