/**
 * Shared pieces of the reliability suite: distinctive secrets, a token endpoint in front of the
 * simulator that records every token it hands out (so the secret scan knows them), a "trap"
 * server that no request may ever reach, history fetching, the secret scan and the figures each
 * test records for docs/reliability.md.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { WorkflowFailedError, type Client } from '@temporalio/client';
import type { Simulator } from '../../../simulator/server.js';

/** Distinctive secret values: any occurrence anywhere outside the simulator is a leak. */
export const SECRETS = {
  clientId: 'rel-client-4d1e',
  clientSecret: 'rel-client-secret-Qz7vK2pX9mN4wR8t',
  apiToken: 'rel-static-token-Hk3sL8dV1bY6cJ0q',
  username: 'rel-user-ab12',
  password: 'rel-password-Tm5gF2nZ7xW3eU9p',
} as const;

/** Where each test appends its figures (one JSON object a line); read back for docs/reliability.md. */
export const resultsFile =
  process.env.RELIABILITY_RESULTS ?? join(tmpdir(), 'arazzo-reliability', 'results.jsonl');

export function record(test: string, figures: Record<string, unknown>): void {
  mkdirSync(join(resultsFile, '..'), { recursive: true });
  appendFileSync(resultsFile, `${JSON.stringify({ test, at: new Date().toISOString(), ...figures })}\n`);
  process.stdout.write(`# figures ${test}: ${JSON.stringify(figures)}\n`);
}

export interface TokenProxy {
  url: string;
  /** Every access token handed out so far. */
  tokens(): string[];
  close(): Promise<void>;
}

/**
 * A token endpoint that forwards to the simulator's `POST /applications/token` and remembers the
 * minted tokens. Configured as AIRBYTE_TOKEN_URL: configuration, not input, so allowed to differ.
 */
export async function startTokenProxy(simulator: Simulator): Promise<TokenProxy> {
  const minted: string[] = [];
  const target = new URL(`${simulator.url}/applications/token`);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const upstream = httpRequest(
        target,
        { method: 'POST', headers: { 'content-type': req.headers['content-type'] ?? 'application/json' } },
        (answer) => {
          const body: Buffer[] = [];
          answer.on('data', (c: Buffer) => body.push(c));
          answer.on('end', () => {
            const text = Buffer.concat(body).toString();
            try {
              const token = (JSON.parse(text) as { access_token?: unknown }).access_token;
              if (typeof token === 'string') minted.push(token);
            } catch {
              // not a token answer (an injected fault)
            }
            res.writeHead(answer.statusCode ?? 502, {
              'content-type': answer.headers['content-type'] ?? 'application/json',
              ...(answer.headers['retry-after'] ? { 'retry-after': answer.headers['retry-after'] } : {}),
            });
            res.end(text);
          });
        },
      );
      upstream.on('error', () => req.socket.destroy());
      upstream.end(Buffer.concat(chunks));
    });
  });
  const url = await listen(server);
  return { url: `${url}/applications/token`, tokens: () => [...minted], close: () => closeServer(server) };
}

export interface Trap {
  url: string;
  origin: string;
  hits(): Array<{ method: string; url: string }>;
  close(): Promise<void>;
}

/** A loopback HTTP server that must never receive a request. */
export async function startTrap(): Promise<Trap> {
  const hits: Array<{ method: string; url: string }> = [];
  const server = createServer((req, res) => {
    hits.push({ method: req.method ?? '', url: req.url ?? '' });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"jobId": 666, "status": "running", "trapped": true}');
  });
  const origin = await listen(server);
  return { url: `${origin}/v1`, origin, hits: () => [...hits], close: () => closeServer(server) };
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Every event of every run of each workflow id (continue-as-new chains followed), as JSON text. */
export async function fetchHistories(
  client: Client,
  workflowIds: Iterable<string>,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const ids = [...workflowIds];
  for (let i = 0; i < ids.length; i += 10) {
    await Promise.all(
      ids.slice(i, i + 10).map(async (id) => {
        const history = await client.workflow.getHandle(id).fetchHistory();
        out.set(
          id,
          JSON.stringify(history, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)),
        );
      }),
    );
  }
  return out;
}

/** Decodes the base64 payload data in a JSON history so the scan sees the plain values too. */
export function decodedPayloads(historyJson: string): string {
  const parts: string[] = [historyJson];
  for (const match of historyJson.matchAll(/"data":"([A-Za-z0-9+/=]+)"/g)) {
    parts.push(Buffer.from(match[1]!, 'base64').toString('utf8'));
  }
  // Payload data may also appear as byte objects {"0":123,...} depending on the serializer.
  return parts.join('\n');
}

/** The secrets found in `text` (plain, URL-encoded, base64 forms), with a little context. */
export function findSecrets(text: string, secrets: string[]): string[] {
  const found: string[] = [];
  for (const secret of secrets) {
    if (secret.length < 8) continue;
    const forms = new Set([secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64')]);
    for (const form of forms) {
      const at = text.indexOf(form);
      if (at >= 0)
        found.push(`${secret.slice(0, 6)}… at "${text.slice(Math.max(0, at - 80), at + form.length + 20)}"`);
    }
  }
  // Basic auth header value of the configured user.
  const basic = Buffer.from(`${SECRETS.username}:${SECRETS.password}`).toString('base64');
  if (text.includes(basic)) found.push('basic credentials');
  return found;
}

export function allSecrets(extraTokens: string[] = []): string[] {
  return [SECRETS.clientSecret, SECRETS.apiToken, SECRETS.password, ...extraTokens];
}

/** The text of an error a run ended with, everything a user could see of it. */
export function errorText(error: unknown): string {
  if (error instanceof WorkflowFailedError) {
    const parts: string[] = [error.message, error.stack ?? ''];
    let cause: unknown = error.cause;
    while (cause instanceof Error) {
      parts.push(cause.message, cause.stack ?? '');
      const details = (cause as { details?: unknown }).details;
      if (details !== undefined) parts.push(JSON.stringify(details));
      cause = cause.cause;
    }
    return parts.join('\n');
  }
  return error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
}

/** The root failure of a failed run: its type and message. */
export function rootFailure(error: unknown): { type?: string; message: string } {
  let cause: unknown = error instanceof WorkflowFailedError ? error.cause : error;
  while (cause instanceof Error && cause.cause instanceof Error && !(cause as { type?: string }).type)
    cause = cause.cause;
  const type = (cause as { type?: string } | undefined)?.type;
  return { ...(type ? { type } : {}), message: cause instanceof Error ? cause.message : String(cause) };
}

/** Runs `tasks` with at most `limit` in flight. */
export async function pool<T>(limit: number, tasks: Array<() => Promise<T>>): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, tasks.length) }, async () => {
      while (next < tasks.length) {
        const index = next++;
        results[index] = await tasks[index]!();
      }
    }),
  );
  return results;
}
