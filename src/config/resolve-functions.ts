/** `functions`: defaults applied, each handler's module located on disk (Lambda's `module.export`). */

import { existsSync } from 'node:fs';
import { basename, dirname, resolve as resolvePath } from 'node:path';
import { FUNCTION_DEFAULTS } from '../aws/defaults.ts';
import { DEPLOYED_LAMBDA_RUNTIME } from './lambda-runtime.ts';
import type { ResolvedFunction } from './resolved.ts';
import type { ApiConfig } from './types.ts';

export const HANDLER_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'] as const;

function locateModule(dir: string, handler: string): { modulePath?: string; exportName: string; tried: string[] } {
  const dot = handler.lastIndexOf('.');
  const base = resolvePath(dir, handler.slice(0, dot));
  const exportName = handler.slice(dot + 1);
  const tried = HANDLER_EXTENSIONS.map((ext) => base + ext);
  return { modulePath: tried.find((p) => existsSync(p)), exportName, tried };
}

/** Handlers resolve from `dir`, the config's folder; a handler with no module is a problem. */
export function resolveFunctions(
  input: ApiConfig['functions'],
  dir: string,
  problems: string[],
): Record<string, ResolvedFunction> {
  const functions: Record<string, ResolvedFunction> = {};
  for (const [fnName, fn] of Object.entries(input)) {
    const located = locateModule(dir, fn.handler);
    if (!located.modulePath) {
      problems.push(
        `functions.${fnName}.handler: no module for "${fn.handler}" (looked for ${located.tried.map((p) => basename(p)).join(', ')} in ${dirname(located.tried[0])})`,
      );
    }
    functions[fnName] = {
      name: fnName,
      handler: fn.handler,
      modulePath: located.modulePath ?? located.tried[0],
      exportName: located.exportName,
      memoryMb: fn.memoryMb ?? FUNCTION_DEFAULTS.memoryMb,
      timeoutSeconds: fn.timeoutSeconds ?? FUNCTION_DEFAULTS.timeoutSeconds,
      reservedConcurrency: fn.reservedConcurrency,
      provisionedConcurrency: fn.provisionedConcurrency ?? 0,
      environment: fn.environment ?? {},
      architecture: fn.architecture ?? FUNCTION_DEFAULTS.architecture,
      runtime: fn.runtime ?? DEPLOYED_LAMBDA_RUNTIME,
      description: fn.description,
      tables: fn.tables,
    };
  }
  return functions;
}
