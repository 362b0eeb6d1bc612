/**
 * `arazzo-temporal`: the command line (`npm run client -- <command>`, or `bin/arazzo-temporal.js`).
 * Commands live in src/cli/; this file wires them to the process: argv, stdout/stderr, the
 * environment, Ctrl-C and the exit code.
 */
import { runCli } from './cli/main.js';

const interrupt = new AbortController();
let interrupts = 0;
process.on('SIGINT', () => {
  interrupts++;
  // The first Ctrl-C lets `run` stop following and say how to cancel; a second one leaves at once.
  if (interrupts > 1) process.exit(130);
  interrupt.abort();
  setTimeout(() => process.exit(130), 3000).unref();
});

const code = await runCli(process.argv.slice(2), {
  out: process.stdout,
  err: process.stderr,
  env: process.env,
  signal: interrupt.signal,
});
process.exitCode = code;
// Open handles (a gRPC channel being torn down) must not keep a finished command alive.
setTimeout(() => process.exit(code), 1000).unref();
