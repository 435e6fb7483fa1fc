import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * The SSRF guard of outbound webhooks (SECURITY.md T5.5). A URL is checked when an endpoint
 * is saved and again on every delivery and every redirect, after DNS resolution: every
 * address the name resolves to must be public, and the connection is then made to the
 * address that was checked (no second lookup an attacker's DNS could answer differently).
 * In production only https is allowed; private, loopback, link-local, shared, multicast and
 * metadata addresses never are, unless the operator allows them for development
 * (WEBHOOKS_ALLOW_PRIVATE=1, or NODE_ENV=development: a receiver on localhost).
 */
export type NetworkPolicy = {
  allowHttp: boolean;
  allowPrivate: boolean;
  /** All addresses of a host name (tests resolve without DNS). */
  resolve?: (host: string) => Promise<string[]>;
};

export function defaultNetworkPolicy(env: NodeJS.ProcessEnv = process.env): NetworkPolicy {
  const production = env.NODE_ENV === 'production';
  const allowPrivate = env.WEBHOOKS_ALLOW_PRIVATE === '1' || env.NODE_ENV === 'development';
  return { allowHttp: !production || allowPrivate, allowPrivate };
}

// Two lists: Node checks an IPv4 address against IPv4-mapped IPv6 rules too.
const FORBIDDEN = new BlockList();
const FORBIDDEN_V6 = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  FORBIDDEN.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  FORBIDDEN_V6.addSubnet(network, prefix, 'ipv6');

/** Whether an address is one no webhook may reach (private, loopback, link-local, metadata …). */
export function isForbiddenAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  if (family === 6) {
    // An IPv4 address written as IPv6 (::ffff:10.0.0.1) is judged as the IPv4 address.
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return FORBIDDEN.check(mapped[1] as string, 'ipv4');
    if (/^::ffff:/i.test(address)) return true;
    return FORBIDDEN_V6.check(address, 'ipv6');
  }
  return FORBIDDEN.check(address, 'ipv4');
}

export class UrlRefused extends Error {
  constructor(
    readonly reason: 'invalid' | 'forbidden',
    readonly host: string,
  ) {
    super(reason === 'invalid' ? 'The URL is not allowed' : `The address of ${host} is not allowed`);
  }
}

/** The URL if its form is allowed (scheme, no credentials, a host); throws UrlRefused otherwise. */
export function checkUrlForm(text: string, policy: NetworkPolicy): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UrlRefused('invalid', '');
  }
  const schemes = policy.allowHttp ? ['https:', 'http:'] : ['https:'];
  if (!schemes.includes(url.protocol) || url.username || url.password || !url.hostname)
    throw new UrlRefused('invalid', url.hostname);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (
    !policy.allowPrivate &&
    (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.internal'))
  )
    throw new UrlRefused('forbidden', host);
  if (isIP(host) && !policy.allowPrivate && isForbiddenAddress(host)) throw new UrlRefused('forbidden', host);
  return url;
}

async function resolveAll(host: string): Promise<string[]> {
  const found = await lookup(host, { all: true, verbatim: true });
  return found.map((entry) => entry.address);
}

/** The address to connect to: every address of the host must be allowed (throws UrlRefused). */
export async function resolveAllowed(url: URL, policy: NetworkPolicy): Promise<string> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = await (policy.resolve ?? resolveAll)(host);
    } catch {
      throw new UrlRefused('invalid', host);
    }
  }
  if (addresses.length === 0) throw new UrlRefused('invalid', host);
  if (!policy.allowPrivate && addresses.some(isForbiddenAddress)) throw new UrlRefused('forbidden', host);
  return addresses[0] as string;
}
