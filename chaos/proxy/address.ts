// TCP addresses the way Toxiproxy (Go's net package) reads and prints them: "host:port" splitting
// with Go's error texts, hostname resolution that prefers IPv4 (so `localhost:0` becomes
// `127.0.0.1:<port>`), the `[::]:port` form for all interfaces, and bind errors as Go words them.
import { lookup } from "node:dns/promises";
import net from "node:net";

/** A failure whose message is Go's text for it, e.g. `address bogus: missing port in address`. */
export class AddressError extends Error {}

export interface ResolvedAddress {
  /** The IP to bind or dial; undefined means all interfaces. */
  ip: string | undefined;
  port: number;
  /** Go's TCPAddr.String(): `127.0.0.1:80`, `[::1]:80`, or `:80` for all interfaces. */
  text: string;
}

/** Go's net.SplitHostPort. */
export function splitHostPort(hostport: string): { host: string; port: string } {
  const fail = (why: string) => new AddressError(`address ${hostport}: ${why}`);
  const colon = hostport.lastIndexOf(":");
  if (colon < 0) throw fail("missing port in address");
  let host: string;
  let hostStart = 0;
  let hostEnd = 0;
  if (hostport.startsWith("[")) {
    const close = hostport.indexOf("]");
    if (close < 0) throw fail("missing ']' in address");
    if (close + 1 === hostport.length) throw fail("missing port in address");
    if (close + 1 !== colon) {
      throw fail(hostport[close + 1] === ":" ? "too many colons in address" : "missing port in address");
    }
    host = hostport.slice(1, close);
    hostStart = 1;
    hostEnd = close + 1;
  } else {
    host = hostport.slice(0, colon);
    if (host.includes(":")) throw fail("too many colons in address");
  }
  if (hostport.slice(hostStart).includes("[")) throw fail("unexpected '[' in address");
  if (hostport.slice(hostEnd).includes("]")) throw fail("unexpected ']' in address");
  return { host, port: hostport.slice(colon + 1) };
}

/** A port as Go parses it for TCP: empty is 0, digits up to 65535, anything else an error. */
export function parsePort(port: string): number {
  if (port === "") return 0;
  if (!/^\d+$/.test(port)) throw new AddressError(`address tcp/${port}: unknown port`);
  const value = Number(port);
  if (value > 65_535) throw new AddressError(`address ${port}: invalid port`);
  return value;
}

/** Go's net.ResolveTCPAddr("tcp", address): hostnames are looked up, IPv4 first. */
export async function resolveTcpAddress(address: string): Promise<ResolvedAddress> {
  if (address === "") return { ip: undefined, port: 0, text: ":0" };
  const { host, port: portText } = splitHostPort(address);
  const port = parsePort(portText);
  if (host === "") return { ip: undefined, port, text: `:${port}` };
  const literal = host.replace(/%.*$/, "");
  if (net.isIP(literal) !== 0) return withText(normaliseIp(literal), port);
  let found: Array<{ address: string; family: number }>;
  try {
    found = await lookup(host, { all: true });
  } catch {
    throw new AddressError(`lookup ${host}: no such host`);
  }
  const chosen = found.find((entry) => entry.family === 4) ?? found[0];
  if (chosen === undefined) throw new AddressError(`lookup ${host}: no such host`);
  return withText(chosen.address, port);
}

function withText(ip: string, port: number): ResolvedAddress {
  return { ip, port, text: formatAddress(ip, port) };
}

function normaliseIp(ip: string): string {
  if (net.isIPv4(ip)) return ip;
  // The WHATWG URL parser prints IPv6 in its canonical compressed form, as Go does.
  return new URL(`http://[${ip}]/`).hostname.slice(1, -1);
}

/** `127.0.0.1:80` or `[::1]:80`; undefined or empty IP means all interfaces (`:80`). */
export function formatAddress(ip: string | undefined, port: number): string {
  if (ip === undefined || ip === "") return `:${port}`;
  return net.isIPv6(ip) ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** The address a listening server reports, as Go prints a listener's Addr(). */
export function formatListener(server: net.Server): string {
  const address = server.address();
  if (address === null || typeof address === "string") return String(address);
  return formatAddress(address.address, address.port);
}

const BIND_ERRORS: Record<string, string> = {
  EADDRINUSE: "bind: address already in use",
  EACCES: "bind: permission denied",
  EADDRNOTAVAIL: "bind: cannot assign requested address",
  EAFNOSUPPORT: "socket: address family not supported by protocol",
};

/** Go's text for a failed net.Listen, e.g. `listen tcp 127.0.0.1:8474: bind: address already in use`. */
export function listenErrorText(address: ResolvedAddress, error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? "";
  const why = BIND_ERRORS[code] ?? (error instanceof Error ? error.message : String(error));
  return `listen tcp ${address.text}: ${why}`;
}

/** Where to dial an upstream ("host:port"); an empty host is this machine, as in Go. */
export function parseDialAddress(upstream: string): { host: string; port: number } {
  const { host, port } = splitHostPort(upstream);
  return { host: host === "" ? "localhost" : host.replace(/%.*$/, ""), port: parsePort(port) };
}
