/** One `gantry` sub-command. Commands are wiring: they parse flags and call the folders that do the work. */
export interface Command {
  name: string;
  /** One line for `gantry --help`. */
  summary: string;
  /** Full `gantry NAME --help` text: usage line, flags with defaults, an example. */
  usage: string;
  /** Returns the process exit code. Prints user-facing errors itself (no stack traces for expected errors). */
  run(args: string[]): Promise<number>;
}
