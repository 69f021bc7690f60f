/**
 * Lambda's rules between reserved and provisioned concurrency and the account's limit, checked as
 * `PutFunctionConcurrency` and `PutProvisionedConcurrencyConfig` check them at deploy: provisioned
 * concurrency at most the function's reserved concurrency when both are set, and the account keeps
 * 100 (or all of a smaller limit) unreserved, so what functions reserve, plus what functions without
 * reserved concurrency provision, stays within the limit minus that.
 */
import { LAMBDA_UNRESERVED_MINIMUM } from '../aws/limits.ts';
import type { ResolvedFunction } from './resolved.ts';

export function checkConcurrency(
  functions: Record<string, ResolvedFunction>,
  accountConcurrency: number,
  problems: string[],
): void {
  let claimed = 0;
  for (const fn of Object.values(functions)) {
    const reserved = fn.reservedConcurrency;
    const provisioned = fn.provisionedConcurrency;
    if (reserved !== undefined && provisioned > reserved) {
      problems.push(
        `functions.${fn.name}.provisionedConcurrency: ${provisioned} is more than its reservedConcurrency ${reserved}; expected at most ${reserved} (Lambda: "Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function")`,
      );
    }
    claimed += reserved ?? provisioned;
  }
  const minimum = Math.min(LAMBDA_UNRESERVED_MINIMUM, accountConcurrency);
  const available = accountConcurrency - minimum;
  if (claimed > available) {
    const parts = Object.values(functions)
      .filter((fn) => (fn.reservedConcurrency ?? fn.provisionedConcurrency) > 0)
      .map((fn) =>
        fn.reservedConcurrency !== undefined
          ? `${fn.name} reserves ${fn.reservedConcurrency}`
          : `${fn.name} provisions ${fn.provisionedConcurrency}`,
      );
    problems.push(
      `functions: reserved and provisioned concurrency claim ${claimed} (${parts.join(', ')}) of local.accountConcurrency ${accountConcurrency}; expected at most ${available}, as Lambda keeps ${minimum} unreserved ("decreases account's UnreservedConcurrentExecution below its minimum value of [${minimum}]")`,
    );
  }
}
