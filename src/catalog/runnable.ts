/**
 * The catalog as a worker runs it: loaded and validated, with every source its runnable
 * workflows need a connection for. Problems are returned, never thrown, so the caller can report
 * them with every other problem at once.
 */
import { sourceCredentialProfiles } from './credentials.js';
import { formatDiagnostic, type Diagnostic } from './diagnostic.js';
import { loadCatalog, type Catalog, type CatalogOptions } from './load-catalog.js';

/** A source description a runnable workflow calls, as the OpenAPI documents describe it. */
export interface CatalogSource {
  name: string;
  /** `'airbyte'` when the OpenAPI info has `x-temporal-credentials: airbyte`. */
  credentials?: string;
  /** The OpenAPI server URL, used when the environment sets none. */
  serverUrl?: string;
}

/**
 * Loads the catalog and lists every source its runnable workflows need a connection for. Never
 * throws: `problems` are the catalog's errors (file:line) or, when it has none, the workflows that
 * cannot be planned; `diagnostics` are the catalog's when it has errors.
 */
export async function loadRunnableCatalog(options: CatalogOptions): Promise<{
  catalog: Catalog;
  sources: CatalogSource[];
  warnings: Diagnostic[];
  problems: string[];
  diagnostics: Diagnostic[];
}> {
  const catalog = await loadCatalog(options);
  const errors = catalog.diagnostics.filter((d) => d.severity === 'error');
  const problems = errors.map((d) => formatDiagnostic(d));
  const sources = new Map<string, CatalogSource>();
  for (const [workflowId, entry] of catalog.workflows) {
    const profiles = sourceCredentialProfiles(entry.document);
    try {
      const plan = catalog.buildPlan(workflowId);
      for (const operation of Object.values(plan.operations)) {
        if (sources.has(operation.sourceName)) continue;
        const credentials = profiles[operation.sourceName];
        sources.set(operation.sourceName, {
          name: operation.sourceName,
          ...(credentials ? { credentials } : {}),
          ...(operation.serverUrl ? { serverUrl: operation.serverUrl } : {}),
        });
      }
    } catch (error) {
      // A document with errors cannot be planned; its diagnostics already say why.
      if (errors.length === 0)
        problems.push(`${entry.file}: workflow ${workflowId}: ${(error as Error).message}`);
    }
  }
  return {
    catalog,
    sources: [...sources.values()],
    warnings: catalog.diagnostics,
    problems,
    diagnostics: errors.length > 0 ? catalog.diagnostics : [],
  };
}
