/**
 * `npm test`: runs every unit and integration test with Node's test runner against a real Temporal
 * dev server. When TEMPORAL_ADDRESS is not set it starts its own server (building the Temporal CLI
 * once if needed) and stops it afterwards, whatever the tests did.
 *
 * It collects test/unit, test/conformance and test/integration. Each test file runs in a process
 * group of its own, with a time limit
 * (ARAZZO_TEST_FILE_TIMEOUT_SECONDS, 600 by default): a file that has not finished by then is named
 * and its whole group is killed, so one hung file (a setup that failed and left a server open, a
 * process that ignores SIGTERM) fails the run instead of stalling it. Leftover processes of a file
 * are killed when it ends. The last line is the total: `tests: N passed, N failed, N skipped`.
 *
 * Usage: npm test [-- <test files or folders>]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, relative, sep } from 'node:path';
import { startDevServer, type DevServer } from '../src/dev-server/dev-server.js';
import { projectRoot } from '../src/config/project-root.js';

async function collectTests(target: string): Promise<string[]> {
  const info = await stat(target);
  if (info.isFile()) return [target];
  const files: string[] = [];
  for (const entry of (await readdir(target, { withFileTypes: true })).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    const path = join(target, entry.name);
    if (entry.isDirectory()) files.push(...(await collectTests(path)));
    else if (entry.name.endsWith('.test.ts')) files.push(path);
  }
  return files;
}

function positiveNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}

interface FileResult {
  file: string;
  passed: number;
  failed: number;
  skipped: number;
  seconds: number;
  /** Why the file failed as a whole (time limit, crash), beyond its failed tests. */
  problem?: string;
}

/** The counts at the end of the spec reporter's output (`ℹ pass 3` …). */
function counts(output: string): { passed: number; failed: number; skipped: number; tests: number } {
  const last = (name: string) => {
    const all = [...output.matchAll(new RegExp(`^\\S*\\s*${name} (\\d+)\\s*$`, 'gm'))];
    return all.length > 0 ? Number(all.at(-1)![1]) : 0;
  };
  // A skipped suite is not in the counts; the reporter marks it (and each skipped test) with ﹣.
  const marked = [...output.matchAll(/^\s*﹣ /gm)].length;
  return {
    tests: last('tests') + last('suites'),
    passed: last('pass'),
    failed: last('fail') + last('cancelled'),
    skipped: Math.max(last('skipped') + last('todo'), marked),
  };
}

const running = new Set<ChildProcess>();

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is gone already
  }
}

function runFile(
  file: string,
  env: NodeJS.ProcessEnv,
  limitSeconds: number,
  live: boolean,
): Promise<FileResult> {
  const name = relative(process.cwd(), file);
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--test', '--test-force-exit', '--test-reporter=spec', name],
      { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    running.add(child);
    let output = '';
    const take = (stream: NodeJS.WriteStream) => (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      if (live) stream.write(text);
    };
    child.stdout!.on('data', take(process.stdout));
    child.stderr!.on('data', take(process.stderr));
    let problem: string | undefined;
    const timer = setTimeout(() => {
      problem = `no result after ${limitSeconds} s (ARAZZO_TEST_FILE_TIMEOUT_SECONDS): its process group was killed`;
      process.stdout.write(`\n✖ ${name}: ${problem}\n`);
      killGroup(child, 'SIGTERM');
      setTimeout(() => killGroup(child, 'SIGKILL'), 5000).unref();
    }, limitSeconds * 1000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      // Anything the file left running (a server it started, a stuck worker) goes with it.
      killGroup(child, 'SIGKILL');
      if (!live) process.stdout.write(output);
      const found = counts(output);
      if (!problem && (code !== 0 || signal) && found.failed === 0)
        problem = `its process ended with ${signal ?? `exit code ${code}`} and no failed test reported`;
      if (!problem && found.tests === 0 && found.skipped === 0) problem = 'it ran no test';
      resolve({
        file: name,
        passed: found.passed,
        failed: found.failed + (problem ? 1 : 0),
        skipped: found.skipped,
        seconds: (Date.now() - started) / 1000,
        problem,
      });
    });
  });
}

async function main(): Promise<number> {
  const targets = process.argv.slice(2);
  const roots =
    targets.length > 0
      ? targets
      : [
          join(projectRoot, 'test', 'unit'),
          join(projectRoot, 'test', 'conformance'),
          join(projectRoot, 'test', 'integration'),
        ];
  const files: string[] = [];
  for (const root of roots) files.push(...(await collectTests(root)));
  const limitSeconds = positiveNumber('ARAZZO_TEST_FILE_TIMEOUT_SECONDS', 600);
  // At least two files at once: the integration files mostly wait on timers and polls, so two share
  // even a 2-core machine well (measured: 9 min 19 s instead of 15 min 29 s for the same tree).
  const concurrency = positiveNumber('ARAZZO_TEST_CONCURRENCY', Math.max(2, availableParallelism() - 1));

  let server: DevServer | undefined;
  const env = { ...process.env };
  // Set when this runner itself runs inside a test file: it would make each file skip its tests.
  delete env.NODE_TEST_CONTEXT;
  if (!env.TEMPORAL_ADDRESS) {
    server = await startDevServer({ headless: true });
    env.TEMPORAL_ADDRESS = server.address;
    if (server.kind === 'java-test-server') {
      process.stdout.write(`FALLBACK Java test server serving at ${server.address} (pid ${server.pid})\n`);
    } else {
      env.TEMPORAL_CLI_PATH ??= server.cliPath;
      const { execFileSync } = await import('node:child_process');
      const version = execFileSync(server.cliPath, ['--version']).toString().trim();
      process.stdout.write(
        `Temporal dev server ${version} serving at ${server.address} (pid ${server.pid})\n`,
      );
    }
  } else {
    process.stdout.write(`Using the Temporal server at ${env.TEMPORAL_ADDRESS}\n`);
  }

  const stopServer = async () => {
    const stopping = server;
    server = undefined;
    if (stopping) await stopping.stop();
  };
  const interrupt = (signal: NodeJS.Signals) => {
    process.stdout.write(`\n${signal}: stopping ${running.size} test file(s) and the server\n`);
    for (const child of running) killGroup(child, 'SIGKILL');
    void stopServer().finally(() => process.exit(130));
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);

  const started = Date.now();
  const results: FileResult[] = [];
  // Files side by side: the long integration files first, so the short ones fill the gaps at the end.
  const slowFirst = (file: string) => (file.includes(`${sep}integration${sep}`) ? 0 : 1);
  const queue = concurrency === 1 ? [...files] : [...files].sort((a, b) => slowFirst(a) - slowFirst(b));
  const live = concurrency === 1;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
      for (let file = queue.shift(); file !== undefined; file = queue.shift())
        results.push(await runFile(file, env, limitSeconds, live));
    }),
  );
  await stopServer();

  const total = results.reduce(
    (sum, r) => ({
      passed: sum.passed + r.passed,
      failed: sum.failed + r.failed,
      skipped: sum.skipped + r.skipped,
    }),
    { passed: 0, failed: 0, skipped: 0 },
  );
  const slowest = [...results].sort((a, b) => b.seconds - a.seconds).slice(0, 5);
  process.stdout.write(
    `\n${results.length} test files in ${((Date.now() - started) / 1000).toFixed(0)} s; slowest: `,
  );
  process.stdout.write(`${slowest.map((r) => `${r.file} ${r.seconds.toFixed(0)} s`).join(', ')}\n`);
  for (const r of results.filter((r) => r.failed > 0))
    process.stdout.write(`✖ ${r.file}: ${r.problem ?? `${r.failed} failed`}\n`);
  process.stdout.write(`tests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped\n`);
  return total.failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
