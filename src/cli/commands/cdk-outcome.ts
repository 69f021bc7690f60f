/**
 * What `gantry diff` and `gantry drift` exit with. The CDK CLI exits 1 both when it finds a
 * difference and when it could not look at all (no credentials, AWS unreachable, synthesis failed),
 * so a CI job could not tell "changes pending" from "nothing was compared". gantry reads the CDK's
 * summary line and its error text and answers with one code per case:
 *
 * | code | meaning |
 * | --- | --- |
 * | 0 | compared: no difference (diff) / no drift (drift) |
 * | 1 | compared: differences / drift found |
 * | 2 | usage error (bad flags) |
 * | 3 | nothing compared: no usable AWS credentials, or AWS could not be reached or read |
 * | 4 | nothing compared: the app did not synthesize (invalid config, cdk-nag or cfn-guard finding) |
 */

export const COMPARE_EXIT = {
  same: 0,
  different: 1,
  usage: 2,
  noAws: 3,
  noApp: 4,
} as const;

export type CompareAction = 'diff' | 'drift';

export interface CompareOutcome {
  code: (typeof COMPARE_EXIT)[keyof typeof COMPARE_EXIT];
  /** Printed by gantry after the CDK's own output; none when the CDK's output says it all. */
  message?: string;
}

/** The CDK CLI's summary lines (aws-cdk 2.1148): `✨  Number of stacks with differences: 2`. */
const SUMMARY: Record<CompareAction, RegExp> = {
  diff: /Number of stacks with differences: (\d+)/,
  drift: /Number of resources with drift: (\d+)/,
};

const NO_CREDENTIALS = [
  /Unable to resolve AWS account to use/,
  /no credentials have been configured/,
  /but the current credentials are for/,
  /Could not load credentials/,
  /CredentialsProviderError/,
  /ExpiredToken|InvalidClientTokenId|UnrecognizedClientException|SignatureDoesNotMatch/,
];
const UNREACHABLE = [/ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EAI_AGAIN|ENETUNREACH|socket hang up|getaddrinfo/];
const UNREADABLE = [/AccessDenied|is not authorized to perform/, /Failed to check drift for \d+ stack/];

const PROFILE_HINT =
  'pass --profile NAME or set AWS_PROFILE (or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or the CI role), then run it again';

export function compareOutcome(action: CompareAction, cdkExitCode: number, output: string): CompareOutcome {
  const what = action === 'diff' ? 'compare the deployed stacks with the code' : 'check the deployed stacks for drift';
  const summary = SUMMARY[action].exec(output);
  const found = summary ? Number(summary[1]) : undefined;
  const unreadable = UNREADABLE.some((p) => p.test(output));
  if (found !== undefined && found > 0) return { code: COMPARE_EXIT.different };
  if (cdkExitCode === 0 && found === 0 && !unreadable) return { code: COMPARE_EXIT.same };
  if (NO_CREDENTIALS.some((p) => p.test(output))) {
    return {
      code: COMPARE_EXIT.noAws,
      message: `gantry ${action}: could not ${what}: no usable AWS credentials (none were found, or AWS could not confirm them); ${PROFILE_HINT}. Exit ${COMPARE_EXIT.noAws}: nothing was compared.`,
    };
  }
  if (UNREACHABLE.some((p) => p.test(output))) {
    return {
      code: COMPARE_EXIT.noAws,
      message: `gantry ${action}: could not ${what}: AWS could not be reached (network error above). Exit ${COMPARE_EXIT.noAws}: nothing was compared.`,
    };
  }
  if (unreadable) {
    return {
      code: COMPARE_EXIT.noAws,
      message: `gantry ${action}: could not ${what}: a stack could not be read (not deployed yet, or the credentials lack permission; see above). Exit ${COMPARE_EXIT.noAws}.`,
    };
  }
  if (cdkExitCode === 0) return { code: COMPARE_EXIT.same };
  return {
    code: COMPARE_EXIT.noApp,
    message: `gantry ${action}: could not ${what}: the CDK app did not synthesize (see above). Exit ${COMPARE_EXIT.noApp}: nothing was compared.`,
  };
}
