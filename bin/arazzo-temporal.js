#!/usr/bin/env node
// The `arazzo-temporal` launcher: the compiled client when `npm run build` made one, else the
// TypeScript sources through tsx (a dependency), so a fresh clone works without a build.
import { existsSync } from 'node:fs';
import { URL, fileURLToPath } from 'node:url';

const compiled = new URL('../dist/src/client.js', import.meta.url);
if (existsSync(fileURLToPath(compiled))) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../src/client.ts', import.meta.url).href);
}
