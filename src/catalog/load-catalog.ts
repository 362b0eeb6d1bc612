/**
 * The catalog: every Arazzo document in some folders, validated, with its workflows listed by
 * workflowId so a worker can start any of them by name.
 */
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Workflow } from '../arazzo/model.js';
import type { ExecutionPlan, RunOptions } from '../arazzo/plan.js';
import { buildExecutionPlan } from './build-plan.js';
import type { Diagnostic } from './diagnostic.js';
import { hasErrors, sortDiagnostics } from './diagnostic.js';
import { CatalogError } from './errors.js';
import { loadArazzoDocument } from './load.js';
import type { LoadedArazzoDocument } from './load.js';
import type { RemoteSettings } from './remote.js';
import { validateDocument } from './checks/validate-document.js';

/** Options for {@link loadCatalog}. */
export interface CatalogOptions {
  folders: string[];
  /** Source url overrides by source name, applied to every document. */
  sourceOverrides?: Record<string, string>;
  /** How remote (http/https) source descriptions are fetched; absent: refused. */
  remote?: RemoteSettings;
  /** Worker-level run option defaults for every plan. */
  defaults?: Partial<RunOptions>;
}

/** One workflow the catalog can run. */
export interface CatalogWorkflow {
  workflowId: string;
  workflow: Workflow;
  document: LoadedArazzoDocument;
  file: string;
}

/** The loaded catalog. */
export interface Catalog {
  documents: LoadedArazzoDocument[];
  /** Runnable workflows: from documents without errors, and with an id no other document uses. */
  workflows: Map<string, CatalogWorkflow>;
  /** Every diagnostic of every document, plus catalog-level ones (duplicate ids, unreadable folders). */
  diagnostics: Diagnostic[];
  /** Builds the plan for a workflow; throws CatalogError for unknown or unrunnable ids. */
  buildPlan(workflowId: string, options?: { defaults?: Partial<RunOptions> }): ExecutionPlan;
}

/** True for the file names the catalog reads. */
export function isArazzoFileName(name: string): boolean {
  return /\.arazzo\.(ya?ml|json)$/i.test(name);
}

/** Lists the Arazzo documents of a folder (not recursive), sorted so load order is stable. */
async function listFolder(folder: string): Promise<{ files: string[] } | { error: string }> {
  try {
    const entries = await readdir(folder, { withFileTypes: true });
    return {
      files: entries
        .filter((e) => e.isFile() && isArazzoFileName(e.name))
        .map((e) => join(folder, e.name))
        .sort(),
    };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** Loads and validates every `*.arazzo.yaml|yml|json` in the folders. Never throws. */
export async function loadCatalog(options: CatalogOptions): Promise<Catalog> {
  const diagnostics: Diagnostic[] = [];
  const documents: LoadedArazzoDocument[] = [];
  const validity = new Map<LoadedArazzoDocument, Diagnostic[]>();
  for (const folder of options.folders.map((f) => resolve(f))) {
    const listed = await listFolder(folder);
    if ('error' in listed) {
      diagnostics.push({
        severity: 'error',
        code: 'catalog/folder-unreadable',
        message: `cannot read catalog folder: ${listed.error}`,
        file: folder,
        line: 0,
        column: 0,
        path: '$',
      });
      continue;
    }
    for (const file of listed.files) {
      const loaded = await loadArazzoDocument(file, {
        ...(options.sourceOverrides ? { sourceOverrides: options.sourceOverrides } : {}),
        ...(options.remote ? { remote: options.remote } : {}),
      });
      const found = validateDocument(loaded);
      documents.push(loaded);
      validity.set(loaded, found);
      diagnostics.push(...found);
    }
  }
  const workflows = indexWorkflows(documents, validity, diagnostics);
  return {
    documents,
    workflows,
    diagnostics: sortDiagnostics(diagnostics),
    buildPlan(workflowId, planOptions = {}) {
      const entry = workflows.get(workflowId);
      if (!entry)
        throw new CatalogError(
          'catalog/workflow-not-found',
          `no runnable workflow "${workflowId}" in the catalog (known: ${[...workflows.keys()].join(', ') || 'none'})`,
        );
      return buildExecutionPlan(entry.document, workflowId, {
        defaults: { ...options.defaults, ...planOptions.defaults },
        diagnostics: validity.get(entry.document) ?? [],
      });
    },
  };
}

/**
 * Lists workflows by id. An id defined in two documents is an error on each definition and
 * neither is runnable: silently picking one would run whichever file happened to sort first.
 */
function indexWorkflows(
  documents: LoadedArazzoDocument[],
  validity: Map<LoadedArazzoDocument, Diagnostic[]>,
  diagnostics: Diagnostic[],
): Map<string, CatalogWorkflow> {
  const byId = new Map<string, Array<CatalogWorkflow & { index: number }>>();
  for (const document of documents) {
    const workflows = Array.isArray(document.document?.workflows) ? document.document.workflows : [];
    workflows.forEach((workflow, index) => {
      if (typeof workflow?.workflowId !== 'string') return;
      const list = byId.get(workflow.workflowId) ?? [];
      // Ids repeated inside one document are that document's own error (already reported).
      if (list.some((e) => e.document === document)) return;
      list.push({ workflowId: workflow.workflowId, workflow, document, file: document.file, index });
      byId.set(workflow.workflowId, list);
    });
  }
  const out = new Map<string, CatalogWorkflow>();
  for (const [id, list] of byId) {
    if (list.length > 1) {
      for (const entry of list) {
        const others = list.filter((e) => e !== entry).map((e) => e.file);
        diagnostics.push({
          severity: 'error',
          code: 'catalog/duplicate-workflow-id',
          message: `workflowId "${id}" is also defined in ${others.join(', ')}; ids must be unique across the catalog`,
          file: entry.file,
          ...entry.document.source.positionOf(['workflows', entry.index, 'workflowId']),
          path: `$.workflows[${entry.index}].workflowId`,
          workflowId: id,
        });
      }
      continue;
    }
    const [entry] = list;
    if (entry && !hasErrors(validity.get(entry.document) ?? [])) {
      out.set(id, { workflowId: id, workflow: entry.workflow, document: entry.document, file: entry.file });
    }
  }
  return out;
}
