/**
 * The notification receiver's configuration, from the environment: every problem reported at
 * once, each naming its variable. The secret is never echoed.
 */
import { BlockList, isIP } from 'node:net';

export interface ReceiverSettings {
  /** The path secret: Airbyte calls `http://host:port/airbyte/notifications/<secret>`. */
  secret: string;
  host: string;
  /** 0 = a port chosen by the system. */
  port: number;
  /** Source addresses allowed to call; undefined = any (the secret still applies). */
  allow?: BlockList;
  /** The allow-list as written, for the start-up line. */
  allowText?: string;
  maxBodyBytes: number;
  /** Notifications accepted per second, over all callers (a token bucket of this size). */
  ratePerSecond: number;
  mailboxTtlSeconds: number;
  taskQueue: string;
}

export const RECEIVER_DEFAULTS = {
  address: '127.0.0.1:8095',
  maxBodyBytes: 65_536,
  ratePerSecond: 50,
  mailboxTtlSeconds: 86_400,
} as const;

/** How long a mailbox keeps a notification or a waiter (`ARAZZO_MAILBOX_TTL_SECONDS`); shared with the worker. */
export function mailboxTtlSeconds(env: NodeJS.ProcessEnv): number {
  const raw = env.ARAZZO_MAILBOX_TTL_SECONDS;
  const value = raw === undefined || raw === '' ? RECEIVER_DEFAULTS.mailboxTtlSeconds : Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`ARAZZO_MAILBOX_TTL_SECONDS must be a positive whole number of seconds, got "${raw}"`);
  }
  return value;
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    problems.push(`${name} must be a positive whole number, got "${raw}"`);
    return fallback;
  }
  return value;
}

/** `host:port`, `[v6]:port`. */
function parseAddress(text: string): { host: string; port: number } | undefined {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text.trim());
  const port = Number(match?.[3]);
  if (!match || port > 65_535) return undefined;
  return { host: match[1] ?? match[2] ?? '', port };
}

/** Addresses and CIDR ranges, `,`-separated; IPv4-mapped IPv6 callers match their IPv4 entry. */
function parseAllowList(text: string): BlockList | string {
  const list = new BlockList();
  for (const entry of text
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [address = '', bits] = entry.split('/');
    const family = isIP(address);
    if (family === 0) return `"${entry}" is not an IP address or CIDR range`;
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(address, type);
    else {
      const prefix = Number(bits);
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 6 ? 128 : 32))
        return `"${entry}" has an invalid prefix length`;
      list.addSubnet(address, prefix, type);
    }
  }
  return list;
}

/** Reads the receiver's settings; throws one Error listing every problem. */
export function loadReceiverSettings(env: NodeJS.ProcessEnv): ReceiverSettings {
  const problems: string[] = [];
  const secret = env.ARAZZO_RECEIVER_SECRET ?? '';
  if (secret.length < 24 || !/^[A-Za-z0-9_-]+$/.test(secret)) {
    problems.push(
      'ARAZZO_RECEIVER_SECRET must be at least 24 characters of A-Z, a-z, 0-9, "-" and "_" (for example: openssl rand -hex 24)',
    );
  }
  const addressText = env.ARAZZO_RECEIVER_ADDRESS || RECEIVER_DEFAULTS.address;
  const address = parseAddress(addressText);
  if (!address) problems.push(`ARAZZO_RECEIVER_ADDRESS must be host:port, got "${addressText}"`);
  let allow: BlockList | undefined;
  const allowText = env.ARAZZO_RECEIVER_ALLOW?.trim();
  if (allowText) {
    const parsed = parseAllowList(allowText);
    if (typeof parsed === 'string') problems.push(`ARAZZO_RECEIVER_ALLOW: ${parsed}`);
    else allow = parsed;
  }
  const maxBodyBytes = positive(
    env,
    'ARAZZO_RECEIVER_MAX_BODY_BYTES',
    RECEIVER_DEFAULTS.maxBodyBytes,
    problems,
  );
  const ratePerSecond = positive(env, 'ARAZZO_RECEIVER_RATE', RECEIVER_DEFAULTS.ratePerSecond, problems);
  let ttl: number = RECEIVER_DEFAULTS.mailboxTtlSeconds;
  try {
    ttl = mailboxTtlSeconds(env);
  } catch (error) {
    problems.push((error as Error).message);
  }
  if (problems.length > 0)
    throw new Error(`the receiver cannot start:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return {
    secret,
    host: address!.host,
    port: address!.port,
    ...(allow ? { allow, allowText } : {}),
    maxBodyBytes,
    ratePerSecond,
    mailboxTtlSeconds: ttl,
    taskQueue: env.TEMPORAL_TASK_QUEUE || 'arazzo',
  };
}
