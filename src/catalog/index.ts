/**
 * Loading and validating Arazzo documents at the edge (worker start, client, CLI): source maps,
 * diagnostics, OpenAPI resolution, execution plans, the catalog and run inputs.
 */
export type { Diagnostic } from './diagnostic.js';
export { formatDiagnostic, hasErrors, sortDiagnostics } from './diagnostic.js';
export type { LoadOptions, LoadedArazzoDocument, LoadedSource } from './load.js';
export { loadArazzoDocument } from './load.js';
export { validateDocument } from './checks/validate-document.js';
export type { PlanOptions } from './build-plan.js';
export { buildExecutionPlan } from './build-plan.js';
export type { Catalog, CatalogOptions, CatalogWorkflow } from './load-catalog.js';
export { isArazzoFileName, loadCatalog } from './load-catalog.js';
export type { CatalogSource } from './runnable.js';
export { loadRunnableCatalog } from './runnable.js';
export type { PreparedInputs } from './inputs/prepare-inputs.js';
export { INPUTS_FILE, prepareInputs } from './inputs/prepare-inputs.js';
export { CREDENTIALS_EXTENSION, sourceCredentialProfiles } from './credentials.js';
export { RESOURCE_EXTENSION, operationKey } from './openapi/resource-spec.js';
export { CatalogError } from './errors.js';
export { MAX_DOCUMENT_BYTES, MAX_DOCUMENT_DEPTH } from './parsed-source.js';
export type { RemoteSettings } from './remote.js';
export {
  DEFAULT_REMOTE_MAX_BYTES,
  DEFAULT_REMOTE_MAX_REDIRECTS,
  DEFAULT_REMOTE_TIMEOUT_MS,
} from './remote.js';
