import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { loadConfig } from '../../config/index.ts';
import {
  discoverJwksUris,
  type ExportResult,
  exportApigee,
  exportAzureApim,
  exportFederation,
  exportOpenApi,
  FEDERATION_TARGETS,
  FederationExportError,
  type FederationTarget,
  formatUnmapped,
  serializeOpenApi,
  summarizeUnmapped,
} from '../../export/index.ts';
import { parseFlags, UsageError } from '../args.ts';
import type { Command } from '../command.ts';

const TARGETS = ['openapi', 'azure-apim', 'apigee', 'federation'] as const;

const usage = `Usage: gantry export <target> [flags]

Builds another platform's artifact from api.config.ts, and says what has no equivalent there:
the list is printed (stderr) and written beside the artifact (UNMAPPED.md, or FILE.unmapped.md).

Targets:
  openapi      OpenAPI 3.0 with API Gateway's x-amazon-apigateway-* extensions (aws apigatewayv2 import-api)
  azure-apim   ARM template of an Azure API Management API, its operations and policies (az deployment group create)
  apigee       Apigee X API proxy bundle: apiproxy/ tree, or a zip with --zip (apigeecli apis create bundle)
  federation   the config's federation for --target route53 | traffic-manager | cloudflare; values the
               product cannot express are refused (exit 1), each named with the range it accepts

Flags:
  --config PATH   api.config.ts (default ./api.config.ts)
  --out PATH      openapi: a file (.yaml, or .json for JSON; default: stdout)
                  azure-apim, apigee, federation: a directory (default ./gantry-export/<target>)
  --portable      openapi: leave out the x-amazon-apigateway-* extensions and AWS-only path syntax
  --zip           apigee: write <api>.zip (apiproxy/ at its root) instead of the tree
  --offline       apigee: do not read the JWT issuers' discovery documents for their JWKS URIs
  --target NAME   federation: route53, traffic-manager or cloudflare

Examples:
  gantry export openapi --out openapi.yaml
  gantry export azure-apim --out build/apim   then: az deployment group create -g RG -f build/apim/azuredeploy.json …
  gantry export apigee --zip --out build
  gantry export federation --target route53 --out build/dns
Docs: docs/export-openapi.md, docs/export-azure-apim.md, docs/export-apigee.md, docs/federation.md`;

/** Writes the files under `dir`, first removing the sub-folders the export owns (stale operations). */
function writeTree(dir: string, result: ExportResult, owned: string[]): void {
  for (const folder of owned) rmSync(join(dir, folder), { recursive: true, force: true });
  for (const [path, content] of Object.entries(result.files)) {
    const file = join(dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
}

export const command: Command = {
  name: 'export',
  summary: 'OpenAPI, Azure API Management, Apigee X or DNS federation artifacts, with what has no equivalent',
  usage,
  async run(args) {
    const { values, positionals } = parseFlags(
      args,
      {
        config: { type: 'string', default: 'api.config.ts' },
        out: { type: 'string' },
        portable: { type: 'boolean', default: false },
        zip: { type: 'boolean', default: false },
        offline: { type: 'boolean', default: false },
        target: { type: 'string' },
      },
      usage,
    );
    const target = positionals[0];
    if (!TARGETS.includes(target as (typeof TARGETS)[number]))
      throw new UsageError(
        `expected a target (${TARGETS.join(', ')}), got ${target ? `"${target}"` : 'none'}\n\n${usage}`,
      );
    if (values.portable && target !== 'openapi') throw new UsageError('--portable applies to "openapi" only');
    if ((values.zip || values.offline) && target !== 'apigee')
      throw new UsageError('--zip and --offline apply to "apigee" only');
    if (values.target !== undefined && target !== 'federation')
      throw new UsageError('--target applies to "federation" only');
    const config = await loadConfig(values.config);

    if (target === 'openapi') {
      const { document, unmapped } = exportOpenApi(config, { portable: values.portable });
      const label = values.portable ? 'OpenAPI (portable)' : 'OpenAPI';
      if (!values.out) process.stdout.write(serializeOpenApi(document));
      else {
        const file = resolve(values.out);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, serializeOpenApi(document, file));
        const notes = join(dirname(file), `${basename(file, extname(file))}.unmapped.md`);
        writeFileSync(notes, formatUnmapped(label, config.name, unmapped));
        console.error(`wrote ${file} and ${notes}`);
      }
      console.error(summarizeUnmapped(label, unmapped));
      return 0;
    }

    if (target === 'federation') {
      const product = values.target;
      if (!FEDERATION_TARGETS.includes(product as FederationTarget))
        throw new UsageError(
          `--target: expected ${FEDERATION_TARGETS.join(', ')}, got ${product ? `"${product}"` : 'none'}`,
        );
      let result: ExportResult;
      try {
        result = exportFederation(config, product as FederationTarget);
      } catch (error) {
        if (!(error instanceof FederationExportError)) throw error;
        console.error(`gantry export federation: ${error.message}`);
        return 1;
      }
      const dir = resolve(values.out ?? join('gantry-export', `federation-${product}`));
      writeTree(dir, result, ['pools']);
      writeFileSync(join(dir, 'UNMAPPED.md'), formatUnmapped(product!, config.name, result.unmapped));
      console.error(`wrote ${Object.keys(result.files).join(', ')} and UNMAPPED.md to ${dir}`);
      console.error(summarizeUnmapped(product!, result.unmapped));
      return 0;
    }

    const dir = resolve(values.out ?? join('gantry-export', target));
    const label = target === 'apigee' ? 'Apigee X' : 'Azure API Management';
    const result =
      target === 'apigee'
        ? exportApigee(config, { zip: values.zip, jwksUris: values.offline ? {} : await discoverJwksUris(config) })
        : exportAzureApim(config);
    writeTree(dir, result, target === 'apigee' ? ['apiproxy'] : ['policies']);
    writeFileSync(join(dir, 'UNMAPPED.md'), formatUnmapped(label, config.name, result.unmapped));
    console.error(`wrote ${Object.keys(result.files).length} file(s) and UNMAPPED.md to ${dir}`);
    console.error(summarizeUnmapped(label, result.unmapped));
    return 0;
  },
};
