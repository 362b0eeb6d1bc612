/**
 * How the activities reach their servers: through an HTTP proxy or not, and which certificate
 * authorities they trust. Read from the environment once, when the worker starts.
 *
 * - `HTTPS_PROXY` / `https_proxy`: the proxy for `https://` URLs (a `CONNECT` tunnel).
 * - `HTTP_PROXY` / `http_proxy`: the proxy for `http://` URLs (absolute-URI requests).
 * - `NO_PROXY` / `no_proxy`: hosts reached directly.
 * - `ARAZZO_CA_FILE`: a PEM bundle trusted in addition to Node's own roots (a corporate CA, a
 *   self-signed Airbyte); `NODE_EXTRA_CA_CERTS` works too but only for a whole process.
 *
 * When both spellings are set, the lower-case one wins, as in curl, Python's `urllib` (Airflow's
 * provider goes through `requests`) and npm's `proxy-from-env`. `NO_PROXY` follows curl and Python:
 * comma- or space-separated entries, case-insensitive; `*` alone turns the proxy off; a name matches
 * itself and every subdomain (a leading `.` or `*.` is ignored); `host:port` matches only that port
 * (the scheme's default port when the URL has none); IP addresses match exactly, or by CIDR
 * (`10.0.0.0/8`, `fd00::/8`); IPv6 may be written in brackets.
 *
 * The tunnels (network-got.ts) are `https-proxy-agent` (the proxy-agents family that npm and many SDKs use): it plugs
 * into got's per-protocol `agent` option, sends the proxy's credentials as `Proxy-Authorization` to
 * the proxy only, and puts nothing of the request's own headers into the `CONNECT`, so the API's
 * credentials travel inside the TLS tunnel. `http://` URLs are tunnelled with `CONNECT` too:
 * its sibling `http-proxy-agent` (absolute-URI requests) rewrites the request head after got 14 has
 * queued it and sends a request body twice (reproduced with versions 7 and 9), and `hpagent` also
 * uses `CONNECT` for http. A proxy that allows `CONNECT` only to port 443 needs `NO_PROXY` for an
 * http:// server. The matching above is a few lines of pure code here because `proxy-from-env`
 * reads `process.env` at every request, which would let a running worker change its routing.
 */
import { readFileSync } from 'node:fs';
import { BlockList, isIP } from 'node:net';

/** The network settings of a worker. */
export interface NetworkSettings {
  /** Proxy for `http:` URLs; may carry `user:password@`. */
  httpProxy?: string;
  /** Proxy for `https:` URLs; may carry `user:password@`. */
  httpsProxy?: string;
  /** The `NO_PROXY` entries, lower-cased. */
  noProxy: string[];
  /** Extra trusted certificate authorities (PEM), added to Node's roots. */
  ca?: string;
  /** Where `ca` came from, for messages. */
  caFile?: string;
}

export type NetworkSettingsResult = { ok: true; settings: NetworkSettings } | { ok: false; errors: string[] };

/** Reads the proxy and CA variables; every problem names its variable and never echoes a credential. */
export function resolveNetworkSettings(env: NodeJS.ProcessEnv): NetworkSettingsResult {
  const errors: string[] = [];
  const pick = (name: string): { variable: string; value: string } | undefined => {
    for (const variable of [name.toLowerCase(), name.toUpperCase()]) {
      const value = env[variable]?.trim();
      if (value !== undefined && value !== '') return { variable, value };
    }
    return undefined;
  };
  const proxy = (name: string): string | undefined => {
    const found = pick(name);
    if (found === undefined) return undefined;
    const checked = checkProxyUrl(found.value);
    if (typeof checked === 'string') return checked;
    errors.push(`${found.variable}: ${checked.problem}`);
    return undefined;
  };
  const httpProxy = proxy('HTTP_PROXY');
  const httpsProxy = proxy('HTTPS_PROXY');
  const noProxy = (pick('NO_PROXY')?.value ?? '')
    .toLowerCase()
    .split(/[\s,]+/)
    .filter((entry) => entry !== '');
  let ca: string | undefined;
  const caFile = env.ARAZZO_CA_FILE?.trim() || undefined;
  if (caFile !== undefined) {
    try {
      ca = readFileSync(caFile, 'utf8');
      if (!ca.includes('-----BEGIN CERTIFICATE-----'))
        errors.push(`ARAZZO_CA_FILE: '${caFile}' holds no PEM certificate`);
    } catch (error) {
      errors.push(
        `ARAZZO_CA_FILE: cannot read '${caFile}' (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    settings: {
      ...(httpProxy === undefined ? {} : { httpProxy }),
      ...(httpsProxy === undefined ? {} : { httpsProxy }),
      noProxy,
      ...(ca === undefined ? {} : { ca, caFile }),
    },
  };
}

/** The normalized proxy URL, or why it cannot be one (without the value when it carries credentials). */
function checkProxyUrl(raw: string): string | { problem: string } {
  // curl and Python take `proxy.corp:3128` as `http://proxy.corp:3128`.
  const value = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
  const shown = (text: string): string => (raw.includes('@') ? 'the value' : `'${text}'`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { problem: `expected a proxy URL such as http://proxy.corp:3128, ${shown(raw)} does not parse` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return { problem: `expected an http:// or https:// proxy, got the scheme "${url.protocol}"` };
  if (url.hostname === '') return { problem: `expected a proxy host, ${shown(raw)} has none` };
  if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '')
    return { problem: `expected only scheme, host and port (and user:password@), ${shown(raw)} has more` };
  return url.href.replace(/\/$/, '');
}

/** The proxy URL for a request to `target`, or undefined to connect directly. */
export function proxyFor(target: URL, settings: NetworkSettings): string | undefined {
  const proxy =
    target.protocol === 'https:'
      ? settings.httpsProxy
      : target.protocol === 'http:'
        ? settings.httpProxy
        : undefined;
  if (proxy === undefined) return undefined;
  return bypassesProxy(target, settings.noProxy) ? undefined : proxy;
}

/** Whether `NO_PROXY` (its entries, lower-cased) sends `target` direct. */
export function bypassesProxy(target: URL, noProxy: string[]): boolean {
  const host = stripBrackets(target.hostname.toLowerCase()).replace(/\.$/, '');
  const port = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
  return noProxy.some((entry) => {
    if (entry === '*') return true;
    const { name, port: entryPort } = splitEntry(entry);
    if (entryPort !== undefined && entryPort !== port) return false;
    if (name.includes('/')) return inSubnet(host, name);
    if (isIP(name) !== 0 || isIP(host) !== 0) return name === host;
    const domain = name.replace(/^\*?\.+/, '').replace(/\.$/, '');
    return domain !== '' && (host === domain || host.endsWith(`.${domain}`));
  });
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** `host`, `host:port`, `[v6]`, `[v6]:port`, `v6` (no port: too ambiguous), `cidr`. */
function splitEntry(entry: string): { name: string; port?: number } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) {
    return bracketed[2] === undefined
      ? { name: bracketed[1] ?? '' }
      : { name: bracketed[1] ?? '', port: Number(bracketed[2]) };
  }
  if (isIP(entry) === 6 || (entry.includes('/') && entry.includes('::'))) return { name: entry };
  const withPort = /^(.*):(\d+)$/.exec(entry);
  if (withPort && !(withPort[1] ?? '').includes(':')) {
    return { name: withPort[1] ?? '', port: Number(withPort[2]) };
  }
  return { name: entry };
}

function inSubnet(host: string, cidr: string): boolean {
  const family = isIP(host);
  if (family === 0) return false;
  const [network = '', bits = ''] = cidr.split('/');
  const netFamily = isIP(network);
  const prefix = Number(bits);
  if (netFamily !== family || !Number.isInteger(prefix)) return false;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  const list = new BlockList();
  try {
    list.addSubnet(network, prefix, type);
  } catch {
    return false;
  }
  return list.check(host, type);
}

/** What a redactor must hide: the proxies' passwords and user:password pairs. */
export function secretsOfNetwork(settings: NetworkSettings): string[] {
  const secrets: string[] = [];
  for (const proxy of [settings.httpProxy, settings.httpsProxy]) {
    if (proxy === undefined) continue;
    const url = new URL(proxy);
    if (url.password === '') continue;
    const user = decodeURIComponent(url.username);
    const password = decodeURIComponent(url.password);
    secrets.push(password, url.password, `${user}:${password}`);
    secrets.push(Buffer.from(`${user}:${password}`).toString('base64'));
  }
  return secrets;
}

/** A proxy URL without its credentials, for logs. */
export function describeProxy(proxy: string): string {
  const url = new URL(proxy);
  url.username = '';
  url.password = '';
  return url.href.replace(/\/$/, '');
}
