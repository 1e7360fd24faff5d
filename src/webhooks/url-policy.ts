// Where webhooks may go. An endpoint URL is http(s) without credentials; its host must be on
// the operator's allow-list when there is one, and every address it resolves to must be public:
// loopback, private, link-local, CGNAT and unique-local targets are refused unless
// WEBHOOK_ALLOW_PRIVATE_TARGETS is set; unspecified, multicast and reserved ones always. The
// check runs at registration and again on every connection (a pinned lookup), so a name that
// later resolves inward (DNS rebinding) is refused too.
import dns from 'node:dns';
import net from 'node:net';
import type { WebhooksConfig } from '../config';

export type TargetPolicy = Pick<WebhooksConfig, 'allowPrivateTargets' | 'allowedHosts'>;

export const TARGET_FORBIDDEN = 'WEBHOOK_TARGET_FORBIDDEN';

/** The URL or its addresses are not allowed; `code` is WEBHOOK_TARGET_FORBIDDEN. */
export class TargetForbidden extends Error {
  readonly code = TARGET_FORBIDDEN;
}

const MAX_URL_LENGTH = 2_000;
const LOOKUP_TIMEOUT_MS = 5_000;

function blockList(entries: [string, number][]): net.BlockList {
  const list = new net.BlockList();
  for (const [net_, prefix] of entries) list.addSubnet(net_, prefix, net.isIPv6(net_) ? 'ipv6' : 'ipv4');
  return list;
}

/** Never a webhook target, whatever the settings. */
const NEVER: [string, net.BlockList][] = [
  ['an unspecified ("this network") address', blockList([['0.0.0.0', 8], ['::', 128]])],
  ['a multicast address', blockList([['224.0.0.0', 4], ['ff00::', 8]])],
  ['a reserved address', blockList([['240.0.0.0', 4], ['192.0.0.0', 24], ['192.0.2.0', 24], ['198.51.100.0', 24], ['203.0.113.0', 24], ['2001:db8::', 32]])],
];

/** Inside somebody's network: refused unless WEBHOOK_ALLOW_PRIVATE_TARGETS. */
const INTERNAL: [string, net.BlockList][] = [
  ['a loopback address', blockList([['127.0.0.0', 8], ['::1', 128]])],
  ['a private address', blockList([['10.0.0.0', 8], ['172.16.0.0', 12], ['192.168.0.0', 16], ['198.18.0.0', 15], ['fc00::', 7]])],
  ['a link-local address', blockList([['169.254.0.0', 16], ['fe80::', 10]])],
  ['a shared (CGNAT) address', blockList([['100.64.0.0', 10]])],
];

/** The 8 groups of an IPv6 address. */
function groups(v6: string): number[] {
  let s = v6.toLowerCase();
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4) {
    const [a, b, c, d] = v4[1]!.split('.').map(Number);
    s = `${s.slice(0, -v4[1]!.length)}${((a! << 8) | b!).toString(16)}:${((c! << 8) | d!).toString(16)}`;
  }
  const [head, tail] = s.includes('::') ? s.split('::') : [s, undefined];
  const h = head ? head.split(':') : [];
  const t = tail === undefined ? [] : tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array(8 - h.length - t.length).fill('0');
  return [...h, ...zeros, ...t].map((g) => parseInt(g, 16));
}

function v4From(hi: number, lo: number): string {
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** An IPv4 address an IPv6 one carries (mapped, NAT64, 6to4), which is then what is checked. */
function embeddedV4(v6: string): string | undefined {
  const g = groups(v6);
  if (g.length !== 8) return undefined;
  if (g.slice(0, 5).every((x) => x === 0) && (g[5] === 0xffff || g[5] === 0)) return g[5] === 0 && g[6] === 0 ? undefined : v4From(g[6]!, g[7]!);
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return v4From(g[6]!, g[7]!);
  if (g[0] === 0x2002) return v4From(g[1]!, g[2]!);
  return undefined;
}

/** Why an address may not be a target, or undefined when it may. */
export function addressRefusal(address: string, policy: Pick<TargetPolicy, 'allowPrivateTargets'>): string | undefined {
  const family = net.isIP(address);
  if (family === 0) return 'not an IP address';
  if (family === 6) {
    const inner = embeddedV4(address);
    if (inner) return addressRefusal(inner, policy);
  }
  const type = family === 6 ? 'ipv6' : 'ipv4';
  for (const [what, list] of NEVER) if (list.check(address, type)) return what;
  if (policy.allowPrivateTargets) return undefined;
  for (const [what, list] of INTERNAL) if (list.check(address, type)) return what;
  return undefined;
}

/** The host is on WEBHOOK_ALLOWED_HOSTS ("a.example.com" exactly, "*.example.com" any subdomain), or the list is empty. */
export function hostAllowed(hostname: string, allowedHosts: readonly string[]): boolean {
  if (allowedHosts.length === 0) return true;
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return allowedHosts.some((h) => (h.startsWith('*.') ? host.endsWith(h.slice(1)) && host.length > h.length - 1 : host === h));
}

/** The host as the resolver and net.isIP take it (IPv6 literals lose their brackets). */
export function bareHost(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

/** Parses an endpoint URL; throws TargetForbidden with a message for the partner. */
export function parseEndpointUrl(raw: string, policy: TargetPolicy): URL {
  if (raw.length > MAX_URL_LENGTH) throw new TargetForbidden(`The URL must be at most ${MAX_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TargetForbidden('The URL is not a valid absolute URL, e.g. "https://hooks.example.com/ecograph"');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TargetForbidden('The URL must start with https:// (or http://)');
  if (url.username || url.password) throw new TargetForbidden('The URL must not carry credentials: verify the webhook-signature header instead');
  if (url.hash) throw new TargetForbidden('The URL must not have a #fragment');
  if (!bareHost(url)) throw new TargetForbidden('The URL has no host');
  if (!hostAllowed(bareHost(url), policy.allowedHosts)) throw new TargetForbidden(`The host ${bareHost(url)} is not among the hosts the operator allows for webhooks`);
  return url;
}

type Address = { address: string; family: number };

async function lookupAll(host: string): Promise<Address[]> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      dns.promises.lookup(host, { all: true, verbatim: true }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`resolving ${host} took over ${LOOKUP_TIMEOUT_MS} ms`)), LOOKUP_TIMEOUT_MS);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Every address of the host, each checked; throws TargetForbidden if any is refused. */
export async function resolveTarget(host: string, policy: TargetPolicy): Promise<Address[]> {
  const addresses = net.isIP(host) ? [{ address: host, family: net.isIP(host) }] : await lookupAll(host);
  if (addresses.length === 0) throw new Error(`${host} has no address`);
  for (const a of addresses) {
    const why = addressRefusal(a.address, policy);
    if (why) {
      const hint = policy.allowPrivateTargets ? '' : ' (the operator may allow private targets with WEBHOOK_ALLOW_PRIVATE_TARGETS)';
      throw new TargetForbidden(`${host} resolves to ${a.address}, ${why}: webhooks go to public addresses only${hint}`);
    }
  }
  return addresses;
}

/** A registration check: the URL as parsed, and its host resolved now to allowed addresses only. */
export async function checkEndpointUrl(raw: string, policy: TargetPolicy): Promise<URL> {
  const url = parseEndpointUrl(raw, policy);
  try {
    await resolveTarget(bareHost(url), policy);
  } catch (err) {
    if (err instanceof TargetForbidden) throw err;
    throw new TargetForbidden(`The host ${bareHost(url)} does not resolve: ${(err as Error).message}`);
  }
  return url;
}

/**
 * A `lookup` for http.request that connects only to checked addresses: the addresses used are
 * the ones just checked, so a name cannot resolve one way for the check and another for the
 * connection.
 */
export function pinnedLookup(policy: TargetPolicy): net.LookupFunction {
  return ((hostname: string, options: dns.LookupOptions, callback: (err: Error | null, address: string | dns.LookupAddress[], family?: number) => void) => {
    resolveTarget(hostname, policy).then(
      (addresses) => {
        const wanted = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
        if (wanted.length === 0) return callback(Object.assign(new Error(`${hostname} has no IPv${options.family} address`), { code: 'ENOTFOUND' }), '');
        if (options.all) return callback(null, wanted);
        return callback(null, wanted[0]!.address, wanted[0]!.family);
      },
      (err: Error) => callback(err, ''),
    );
  }) as unknown as net.LookupFunction;
}
