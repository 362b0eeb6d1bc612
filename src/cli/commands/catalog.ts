/**
 * `arazzo-temporal catalog`: what can be run. Loads the catalog exactly as the worker does
 * (`loadWorkerConfig` + `loadRunnableCatalog`: ARAZZO_CATALOG, ARAZZO_SOURCE_DESCRIPTIONS,
 * ARAZZO_RUN_OPTIONS) and lists each workflow with its inputs and run options.
 */
import { relative } from 'node:path';
import type { ArazzoDocument, JsonValue, Workflow } from '../../arazzo/model.js';
import type { RunOptions } from '../../arazzo/plan.js';
import { resolveInputsRef } from '../../catalog/components.js';
import { isRecord } from '../../catalog/openapi/openapi-refs.js';
import { loadRunnableCatalog } from '../../catalog/index.js';
import { catalogOptions, loadWorkerConfig } from '../../config/index.js';
import { expectPositionals, helpOption, jsonOption } from '../args.js';
import type { LocalCommand } from '../command.js';
import { CliError, ExitCode } from '../errors.js';
import { writeJson } from '../output.js';

/** One top-level input field, as a person reads a schema. */
export interface InputField {
  name: string;
  type?: string;
  format?: string;
  required: boolean;
  default?: JsonValue;
  enum?: JsonValue[];
  description?: string;
}

export interface CatalogEntry {
  workflowId: string;
  summary?: string;
  description?: string;
  /** Absolute path of the document. */
  document: string;
  title?: string;
  inputs: InputField[];
  /** The full inputs JSON Schema, as written. */
  inputsSchema?: JsonValue;
  options: RunOptions;
}

/** The fields of an inputs schema, through `$ref` to components and `allOf` (bounded). */
export function describeInputs(document: ArazzoDocument, workflow: Workflow): InputField[] {
  const fields = new Map<string, InputField>();
  const required = new Set<string>();
  const queue: unknown[] = [workflow.inputs ?? {}];
  for (let visited = 0; queue.length > 0 && visited < 64; visited++) {
    const schema = queue.shift();
    if (!isRecord(schema)) continue;
    if (typeof schema.$ref === 'string') {
      const target = resolveInputsRef(document, schema.$ref);
      if (target) queue.push(target);
    }
    if (Array.isArray(schema.allOf)) queue.push(...(schema.allOf as unknown[]));
    if (Array.isArray(schema.required))
      for (const name of schema.required) if (typeof name === 'string') required.add(name);
    if (!isRecord(schema.properties)) continue;
    for (const [name, raw] of Object.entries(schema.properties)) {
      if (fields.has(name) || !isRecord(raw)) continue;
      const type = Array.isArray(raw.type)
        ? raw.type.join('|')
        : typeof raw.type === 'string'
          ? raw.type
          : undefined;
      fields.set(name, {
        name,
        required: false,
        ...(type ? { type } : {}),
        ...(typeof raw.format === 'string' ? { format: raw.format } : {}),
        ...(raw.default !== undefined ? { default: raw.default as JsonValue } : {}),
        ...(Array.isArray(raw.enum) ? { enum: raw.enum as JsonValue[] } : {}),
        ...(typeof raw.description === 'string' ? { description: raw.description } : {}),
      });
    }
  }
  return [...fields.values()]
    .map((f) => ({ ...f, required: required.has(f.name) }))
    .sort((a, b) => Number(b.required) - Number(a.required));
}

function describeField(field: InputField): string {
  const facts = [
    `${field.type ?? 'any'}${field.format ? ` (${field.format})` : ''}`,
    field.required ? 'required' : 'optional',
    ...(field.enum
      ? [`one of ${field.enum.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join('|')}`]
      : []),
    ...(field.default !== undefined
      ? [`default ${typeof field.default === 'string' ? field.default : JSON.stringify(field.default)}`]
      : []),
  ];
  return facts.join(', ');
}

/** A placeholder for the example command line. */
function placeholder(field: InputField): string {
  if (field.enum?.[0] !== undefined) return String(field.enum[0]);
  if (field.format === 'uuid') return '<uuid>';
  return `<${field.type ?? 'value'}>`;
}

function describeOptions(options: RunOptions): string {
  const parts = [`poll every ${options.pollIntervalSeconds} s`];
  if (options.pollBackoff !== 1)
    parts.push(`×${options.pollBackoff} up to ${options.maxPollIntervalSeconds} s`);
  if (options.failOnStatuses.length > 0)
    parts.push(`fails (${options.failErrorType}) when a job ends ${options.failOnStatuses.join('/')}`);
  if (options.waitTimeoutSeconds > 0) parts.push(`wait timeout ${options.waitTimeoutSeconds} s`);
  if (options.executionTimeoutSeconds > 0)
    parts.push(`execution timeout ${options.executionTimeoutSeconds} s`);
  parts.push(`on conflict: ${options.onConflict}`);
  return parts.join(', ');
}

export const catalogCommand: LocalCommand = {
  name: 'catalog',
  summary: 'list the workflows the worker can run, with their inputs',
  connects: false,
  options: { ...helpOption, ...jsonOption },
  help: `Usage: arazzo-temporal catalog [--json]

Lists every workflow of the worker's catalog: its id (what \`run\` and \`start\` take), summary,
document, inputs (type, required, enum, default) and run options. The catalog is loaded the way
the worker loads it, from the same settings:
  ARAZZO_CATALOG               folders of *.arazzo.yaml (default: the project's arazzo/)
  ARAZZO_SOURCE_DESCRIPTIONS   name=path-or-url source description overrides
  ARAZZO_RUN_OPTIONS           worker-wide run option defaults (JSON)
Exit code 1 when the catalog has errors (run \`arazzo-temporal validate\` on the folder for details).

  --json                  {workflows: [{workflowId, summary, document, inputs, inputsSchema, options}]}
  -h, --help              this help

Examples:
  arazzo-temporal catalog
  ARAZZO_CATALOG=./my-workflows:./arazzo arazzo-temporal catalog --json | jq -r '.workflows[].workflowId'
`,
  async run(args, ctx) {
    expectPositionals('catalog', args, []);
    const loaded = loadWorkerConfig(ctx.env);
    if (!loaded.ok)
      throw new CliError(
        `the worker settings have problems:\n${loaded.errors.map((e) => `  ${e}`).join('\n')}`,
        ExitCode.usage,
      );
    const { catalog, problems } = await loadRunnableCatalog(catalogOptions(loaded.config));
    if (problems.length > 0)
      throw new CliError(
        `the catalog has errors (the worker would refuse to start):\n${problems.map((p) => `  ${p}`).join('\n')}`,
      );
    const entries: CatalogEntry[] = [...catalog.workflows.values()]
      .sort((a, b) => a.workflowId.localeCompare(b.workflowId))
      .map((entry) => {
        const document = entry.document.document!;
        return {
          workflowId: entry.workflowId,
          ...(entry.workflow.summary ? { summary: entry.workflow.summary } : {}),
          ...(entry.workflow.description ? { description: entry.workflow.description } : {}),
          document: entry.file,
          ...(document.info?.title ? { title: document.info.title } : {}),
          inputs: describeInputs(document, entry.workflow),
          ...(entry.workflow.inputs ? { inputsSchema: entry.workflow.inputs } : {}),
          options: catalog.buildPlan(entry.workflowId).options,
        };
      });
    if (args.flag('json')) {
      writeJson(ctx.out, { folders: loaded.config.catalogFolders, workflows: entries });
      return ExitCode.ok;
    }
    if (entries.length === 0) {
      ctx.out.write(`no workflows in ${loaded.config.catalogFolders.join(', ')}\n`);
      return ExitCode.ok;
    }
    for (const entry of entries) {
      ctx.out.write(`${entry.workflowId}${entry.summary ? `  ${entry.summary}` : ''}\n`);
      ctx.out.write(`  document: ${relative(process.cwd(), entry.document) || entry.document}\n`);
      const width = Math.max(0, ...entry.inputs.map((f) => f.name.length));
      ctx.out.write(entry.inputs.length > 0 ? '  inputs:\n' : '  inputs: none\n');
      for (const field of entry.inputs) {
        ctx.out.write(
          `    ${field.name.padEnd(width)}  ${describeField(field)}${field.description ? `. ${field.description}` : ''}\n`,
        );
      }
      ctx.out.write(`  options: ${describeOptions(entry.options)}\n`);
      const example = entry.inputs
        .filter((f) => f.required)
        .map((f) => ` --input ${f.name}=${placeholder(f)}`)
        .join('');
      ctx.out.write(`  run: arazzo-temporal run ${entry.workflowId}${example}\n\n`);
    }
    return ExitCode.ok;
  },
};
