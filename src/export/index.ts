export { type ApigeeOptions, exportApigee } from './apigee/bundle.ts';
export { discoverJwksUris } from './apigee/discovery.ts';
export { exportAzureApim } from './apim/template.ts';
export {
  exportFederation,
  FEDERATION_TARGETS,
  FederationExportError,
  type FederationTarget,
} from './federation/index.ts';
export { exportOpenApi, type OpenApiOptions, serializeOpenApi } from './openapi.ts';
export { type ExportResult, formatUnmapped, summarizeUnmapped, type Unmapped } from './result.ts';
