/** Typed errors of the runtime. Invocation failures are outcomes, never these. */

/** One or more functions could not be bundled or lack their handler export. */
export class RuntimeBuildError extends Error {
  readonly code: string = 'GANTRY_RUNTIME_BUILD_FAILED';
  constructor(
    /** One line per function: names the function, its handler, the file and what is wrong. */
    readonly problems: string[],
  ) {
    super(`${problems.length} function${problems.length === 1 ? '' : 's'} could not be built:\n${list(problems)}`);
    this.name = 'RuntimeBuildError';
  }
}

/** `start()` found functions that cannot run; every one of them is listed. */
export class RuntimeStartError extends RuntimeBuildError {
  override readonly code = 'GANTRY_RUNTIME_START_FAILED';
  constructor(problems: string[]) {
    super(problems);
    this.name = 'RuntimeStartError';
    this.message = `the Lambda runtime cannot start: ${this.message}`;
  }
}

function list(problems: string[]): string {
  return problems.map((p) => `  - ${p}`).join('\n');
}
