/** An invalid scenario: every problem found, each naming the field, the value and what was expected. */
export class ScenarioError extends Error {
  readonly code = 'GANTRY_SCENARIO_INVALID';
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(problems.map((p) => `${file}: ${p}`).join('\n'));
    this.name = 'ScenarioError';
  }
}

/** The load test could not run (target unreachable, worker crashed); the message says what to change. */
export class LoadTestError extends Error {
  readonly code = 'GANTRY_LOAD_FAILED';
  override name = 'LoadTestError';
}
