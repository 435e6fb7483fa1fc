import { BlockList, isIP } from 'node:net';

/**
 * IP allowlists of API keys: single addresses or CIDR ranges, IPv4 or IPv6, checked with
 * Node's BlockList. An empty list allows every address.
 */
export function parseIpRule(rule: string): { address: string; prefix: number | null } | null {
  const [address, prefixText, extra] = rule.trim().split('/');
  if (extra !== undefined || !address) return null;
  const family = isIP(address);
  if (family === 0) return null;
  if (prefixText === undefined) return { address, prefix: null };
  if (!/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = Number(prefixText);
  if (prefix > (family === 4 ? 32 : 128)) return null;
  return { address, prefix };
}

export function ipAllowed(rules: readonly string[], ip: string): boolean {
  if (rules.length === 0) return true;
  const family = isIP(ip);
  if (family === 0) return false;
  const list = new BlockList();
  for (const rule of rules) {
    const parsed = parseIpRule(rule);
    if (!parsed) continue;
    const type = isIP(parsed.address) === 4 ? 'ipv4' : 'ipv6';
    if (parsed.prefix === null) list.addAddress(parsed.address, type);
    else list.addSubnet(parsed.address, parsed.prefix, type);
  }
  return list.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}
