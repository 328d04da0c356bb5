// The client Faultline drives network faults with, built on toxiproxy-node-client so the same code
// talks to the embedded proxy and to a real Toxiproxy (TOXIPROXY_URL). Every toxic it creates is
// named `faultline_…`, which is how the kill switch finds ours and never touches anyone else's.
import { type ToxicType as ClientToxicType, type ICreateToxicBody, Toxiproxy } from "toxiproxy-node-client";
import { AppError } from "../../kernel/errors";
import { splitHostPort } from "./address";
import type { Direction, ToxicType } from "./types";

export const FAULTLINE_TOXIC_PREFIX = "faultline_";

export interface ProxyState {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
}

export interface ToxicRequest {
  type: ToxicType;
  /** Default: downstream (server → client). */
  stream?: Direction;
  /** Share of connections affected, 0–1. Default: 1. */
  toxicity?: number;
  attributes: Record<string, number>;
  /** Default: `<type>_<stream>`; the prefix is added when missing. */
  name?: string;
}

export interface ToxicState {
  proxy: string;
  name: string;
  type: string;
  stream: string;
  toxicity: number;
  attributes: Record<string, number>;
}

export interface ProxyControl {
  /** Creates the proxy, or brings an existing one to these values (a port-0 listen keeps its port). */
  ensureProxy(proxy: { name: string; listen: string; upstream: string }): Promise<ProxyState>;
  addToxic(proxyName: string, toxic: ToxicRequest): Promise<ToxicState>;
  /** Removes one of our toxics; false when it was already gone. */
  removeToxic(proxyName: string, toxicName: string): Promise<boolean>;
  /** The kill switch: removes every `faultline_` toxic on every proxy; returns how many. */
  removeFaultlineToxics(): Promise<number>;
  listFaultlineToxics(): Promise<ToxicState[]>;
  /** The server's version, e.g. `2.12.0` (`2.12.0+faultline` for the embedded one). */
  version(): Promise<string>;
}

/** A request to the Toxiproxy API failed; `upstreamStatus` is its HTTP status when it answered. */
export class ProxyControlError extends AppError {
  constructor(
    message: string,
    readonly upstreamStatus: number | undefined,
  ) {
    super("proxy_control_failed", message, 502);
    this.name = "ProxyControlError";
  }
}

interface ToxicJson {
  name: string;
  type: string;
  stream: string;
  toxicity: number;
  attributes: Record<string, number>;
}

/** The HTTP status in toxiproxy-node-client's error ("Request failed with status code 404"). */
export function statusOf(error: unknown): number | undefined {
  const match = error instanceof Error ? /status code (\d{3})/.exec(error.message) : null;
  return match ? Number(match[1]) : undefined;
}

export function faultlineToxicName(name: string): string {
  return name.startsWith(FAULTLINE_TOXIC_PREFIX) ? name : `${FAULTLINE_TOXIC_PREFIX}${name}`;
}

export function createProxyControl(apiUrl: string): ProxyControl {
  const base = normaliseApiUrl(apiUrl);
  const client = new Toxiproxy(base);
  const api = client.getApi();
  const segment = encodeURIComponent;

  const call = async <T>(action: string, request: () => Promise<T>): Promise<T> => {
    try {
      return await request();
    } catch (error) {
      const status = statusOf(error);
      const reason = status === undefined ? (error as Error).message : `HTTP ${status}`;
      throw new ProxyControlError(`Toxiproxy at ${base}: ${action} failed (${reason}).`, status);
    }
  };

  const toState = (proxy: ProxyState): ProxyState => ({
    name: proxy.name,
    listen: proxy.listen,
    upstream: proxy.upstream,
    enabled: proxy.enabled,
  });

  const getProxy = async (name: string) => {
    try {
      return await client.get(name);
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  };

  const listOurs = async (): Promise<ToxicState[]> => {
    const { data } = await api.get<Record<string, { toxics?: ToxicJson[] | null }>>(`${base}/proxies`);
    return Object.entries(data ?? {}).flatMap(([proxy, body]) =>
      (body.toxics ?? [])
        .filter((toxic) => toxic.name.startsWith(FAULTLINE_TOXIC_PREFIX))
        .map((toxic) => ({ proxy, ...pickToxic(toxic) })),
    );
  };

  const remove = async (proxyName: string, toxicName: string): Promise<boolean> => {
    try {
      await api.delete(`${base}/proxies/${segment(proxyName)}/toxics/${segment(toxicName)}`);
      return true;
    } catch (error) {
      if (statusOf(error) === 404) return false;
      throw error;
    }
  };

  return {
    ensureProxy: ({ name, listen, upstream }) =>
      call(`ensuring proxy ${name}`, async () => {
        let existing = await getProxy(name);
        if (existing === undefined) {
          try {
            return toState(await client.createProxy({ name, listen, upstream, enabled: true }));
          } catch (error) {
            // Someone created it meanwhile: fall through and reconcile.
            if (statusOf(error) !== 409) throw error;
            existing = await client.get(name);
          }
        }
        const wantedListen = keepsPort(listen, existing.listen) ? existing.listen : listen;
        if (existing.upstream === upstream && existing.enabled && wantedListen === existing.listen) {
          return toState(existing);
        }
        return toState(await existing.update({ listen: wantedListen, upstream, enabled: true }));
      }),

    addToxic: (proxyName, request) =>
      call(`adding a ${request.type} toxic to ${proxyName}`, async () => {
        const stream = request.stream ?? "downstream";
        // The client's type lists all five fields as required; the real server needs none of them.
        const body: ICreateToxicBody<Record<string, number>> = {
          name: faultlineToxicName(request.name ?? `${request.type}_${stream}`),
          type: request.type as ClientToxicType,
          stream,
          toxicity: request.toxicity ?? 1,
          attributes: request.attributes,
        };
        const proxy = await client.get(proxyName);
        const toxic = await proxy.addToxic(body);
        return { proxy: proxyName, ...pickToxic(toxic) };
      }),

    removeToxic: (proxyName, toxicName) =>
      call(`removing toxic ${toxicName} from ${proxyName}`, () =>
        remove(proxyName, faultlineToxicName(toxicName)),
      ),

    removeFaultlineToxics: () =>
      call("removing Faultline's toxics", async () => {
        const ours = await listOurs();
        const removed = await Promise.all(ours.map((toxic) => remove(toxic.proxy, toxic.name)));
        return removed.filter(Boolean).length;
      }),

    listFaultlineToxics: () => call("listing Faultline's toxics", listOurs),

    version: () =>
      call("reading the version", async () => {
        // ≤2.4 answered plain text; later versions hand-built JSON (the client returns it raw).
        const raw = await client.getVersion();
        try {
          const parsed = JSON.parse(raw) as { version?: unknown };
          if (typeof parsed.version === "string") return parsed.version;
        } catch {}
        return raw.trim();
      }),
  };
}

function pickToxic(toxic: ToxicJson): ToxicJson {
  return {
    name: toxic.name,
    type: toxic.type,
    stream: toxic.stream,
    toxicity: toxic.toxicity,
    attributes: { ...toxic.attributes },
  };
}

/**
 * `http://localhost:8474/` → `http://127.0.0.1:8474`: Toxiproxy binds IPv4 for "localhost" while
 * Node may resolve it to ::1 first (shared/specs/toxiproxy.md §4.4).
 */
export function normaliseApiUrl(apiUrl: string): string {
  const url = new URL(apiUrl);
  if (url.hostname === "localhost") url.hostname = "127.0.0.1";
  return url.toString().replace(/\/+$/, "");
}

/** A requested port-0 listen on the same host as the current one: keep the port already bound. */
function keepsPort(requested: string, current: string): boolean {
  try {
    const want = splitHostPort(requested);
    const have = splitHostPort(current);
    const host = (value: string) => (value === "localhost" ? "127.0.0.1" : value);
    return (want.port === "0" || want.port === "") && host(want.host) === host(have.host);
  } catch {
    return false;
  }
}
