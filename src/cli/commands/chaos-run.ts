import { UsageError } from '../args.ts';
import type { ChaosValues } from './chaos.ts';

export async function runExperimentCommand(_values: ChaosValues, _words: string[]): Promise<number> {
  throw new UsageError('run: experiments arrive with chaos.experiments in api.config.ts');
}
