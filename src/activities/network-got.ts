/**
 * got with the worker's network settings (network.ts): the proxy and CA plumbing, in a module of its
 * own so that reading the settings does not load got (the worker loads it only with its activities).
 */
import type { Agent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { rootCertificates } from 'node:tls';
import type { Got } from 'got';
import gotDefault from 'got';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { proxyFor, type NetworkSettings } from './network.js';

/**
 * got with the worker's network settings: per request, the proxy agent `NO_PROXY` and the scheme
 * call for (one keep-alive agent per proxy), and the extra CA for the server and the proxy.
 */
export function createNetworkGot(settings: NetworkSettings, base: Got = gotDefault): Got {
  const ca = settings.ca === undefined ? undefined : [...rootCertificates, settings.ca];
  const agents = new Map<string, { http: Agent; https: HttpsAgent }>();
  const agentsFor = (proxy: string): { http: Agent; https: HttpsAgent } => {
    let pair = agents.get(proxy);
    if (pair === undefined) {
      // `ca` here is for a TLS connection to an https:// proxy; the tunnelled TLS takes got's own.
      const agent = new HttpsProxyAgent(proxy, { keepAlive: true, ...(ca === undefined ? {} : { ca }) });
      // One agent (an agent-base http.Agent doing its own TLS after the CONNECT) for both schemes:
      // it tells them apart per request.
      pair = { http: agent, https: agent as unknown as HttpsAgent };
      agents.set(proxy, pair);
    }
    return pair;
  };
  if (settings.httpProxy === undefined && settings.httpsProxy === undefined && ca === undefined) return base;
  return base.extend({
    ...(ca === undefined ? {} : { https: { certificateAuthority: ca } }),
    hooks: {
      beforeRequest: [
        (options) => {
          const url = options.url instanceof URL ? options.url : new URL(String(options.url));
          const proxy = proxyFor(url, settings);
          const pair = proxy === undefined ? undefined : agentsFor(proxy);
          options.agent = pair === undefined ? {} : { http: pair.http, https: pair.https };
        },
      ],
    },
  });
}
