/**
 * A function's code asset, bundled at synthesis by gantry's own esbuild with the options `gantry dev`
 * bundles with (the config's BUNDLE_OPTIONS). Not the CDK's NodejsFunction: that runs whichever
 * `esbuild` the user's project or PATH has (`sh: 1: esbuild: not found` in a project that installed
 * only gantry; another esbuild version than `gantry dev` ran in a project with its own).
 */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { AssetHashType, DockerImage } from 'aws-cdk-lib';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { type BuildFailure, buildSync } from 'esbuild';
import { BUNDLE_MODULE, BUNDLE_OPTIONS, type FunctionSpec } from '../config/index.ts';
import { relocateSourceMap } from './source-map-paths.ts';

export class BundlingError extends Error {
  override name = 'BundlingError';
}

/** Builds `spec.entry` into `{outputDir}/index.mjs` (+ its source map). Throws BundlingError naming the function. */
export function bundleInto(spec: FunctionSpec, projectDir: string, outputDir: string): void {
  try {
    buildSync({
      ...BUNDLE_OPTIONS,
      entryPoints: [spec.entry],
      absWorkingDir: projectDir,
      outfile: join(outputDir, `${BUNDLE_MODULE}.mjs`),
      logLevel: 'silent',
    });
  } catch (error) {
    const errors = (error as Partial<BuildFailure>).errors ?? [];
    const detail = errors.length
      ? errors.map((m) => (m.location ? `${m.location.file}:${m.location.line}: ${m.text}` : m.text)).join('; ')
      : String(error);
    throw new BundlingError(
      `function "${spec.name}": ${relative(projectDir, spec.entry)} could not be bundled: ${detail}`,
    );
  }
}

/**
 * The asset: bundled locally (never in Docker; the image is only a required placeholder), hashed by
 * its output so an unchanged bundle is not uploaded again.
 */
export function functionCode(spec: FunctionSpec, projectDir: string): Code {
  return Code.fromAsset(projectDir, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      image: DockerImage.fromRegistry('gantry-bundles-locally'),
      // Never run; it makes the CDK's per-process asset cache key differ between functions.
      command: ['esbuild', relative(projectDir, spec.entry)],
      local: {
        tryBundle(outputDir) {
          bundleInto(spec, projectDir, outputDir);
          // Paths relative to the project, not to --out: the asset hashes only its inputs.
          const map = join(outputDir, `${BUNDLE_MODULE}.mjs.map`);
          if (existsSync(map)) relocateSourceMap(map, projectDir);
          return true;
        },
      },
    },
  });
}
