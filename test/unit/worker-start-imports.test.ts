/**
 * The worker's process entry (src/worker.ts) loads, before it starts the workflow thread, neither
 * the catalog nor the activities' libraries: they load later (dynamic `import()`), while that
 * thread loads the workflow code (src/worker/run-worker.ts, docs/benchmarks.md §14). This walks the
 * static imports that stay at run time (`import type` is erased; `import()` is not followed).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { projectRoot } from '../../src/config/project-root.js';

/** The modules `file` loads when it loads, by specifier (relative ones resolved to .ts files). */
function staticImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  const out: string[] = [];
  for (const node of source.statements) {
    if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly)
      out.push((node.moduleSpecifier as ts.StringLiteral).text);
    else if (ts.isExportDeclaration(node) && node.moduleSpecifier && !node.isTypeOnly)
      out.push((node.moduleSpecifier as ts.StringLiteral).text);
  }
  return out.map((s) => (s.startsWith('.') ? resolve(dirname(file), s.replace(/\.js$/, '.ts')) : s));
}

/** Every module reached from `entry` by static imports: project files and packages. */
function reached(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const target of staticImports(file)) {
      if (target.startsWith('/')) queue.push(target);
      else
        packages.add(
          target.startsWith('@') ? target.split('/').slice(0, 2).join('/') : target.split('/')[0]!,
        );
    }
  }
  return { files, packages };
}

describe('what the worker loads before its workflow thread starts', () => {
  it('is the SDK, the settings and the worker wiring, not the catalog nor the HTTP and document libraries', () => {
    const { files, packages } = reached(join(projectRoot, 'src', 'worker.ts'));
    const heavy = [
      'got',
      'ajv',
      'ajv-formats',
      'yaml',
      'fontoxpath',
      '@xmldom/xmldom',
      'jsonpath-plus',
      'jsonpath-rfc9535',
    ];
    assert.deepEqual(
      heavy.filter((name) => packages.has(name)),
      [],
      `reached: ${[...packages].sort().join(', ')}`,
    );
    const relative = [...files].map((f) => f.slice(projectRoot.length + 1));
    assert.deepEqual(
      relative.filter(
        (f) =>
          /^src\/(catalog\/(?!diagnostic)|activities\/(?!network\.ts|redact\.ts))/.test(f) ||
          f === 'src/worker/setup.ts',
      ),
      [],
    );
    // The walk does see what it should: the SDK and the worker's own wiring.
    assert.ok(packages.has('@temporalio/worker'));
    assert.ok(relative.includes('src/worker/create-worker.ts'));
  });
});
