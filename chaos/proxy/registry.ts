// Every proxy of one server, and the API operations on them with Toxiproxy 2.12's semantics:
// validation order, create/update/populate/reset rules, and toxic changes applied to live links.
// Operations run one at a time, as the real server's locks make them.
import { resolveTcpAddress } from "./address";
import * as errors from "./errors";
import { type ProxyEnvironment, TcpProxy } from "./proxy";
import { TOXICS } from "./toxics/index";
import type { ToxicSpec } from "./types";
import {
  type ProxyInput,
  readProxyUpdate,
  readToxicAttributes,
  readToxicCreate,
  readToxicUpdate,
  zeroAttributes,
} from "./validate";

export interface PopulateResult {
  proxies: TcpProxy[];
  /** Set when an entry failed to start; the entries before it stay in effect (no rollback). */
  error?: errors.ToxiproxyApiError;
}

export class ProxyRegistry {
  private readonly proxies = new Map<string, TcpProxy>();
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly environment: ProxyEnvironment) {}

  /** Runs `operation` after every earlier one has finished. */
  exclusive<T>(operation: () => Promise<T> | T): Promise<T> {
    const result = this.tail.then(operation);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Proxies sorted by name, the order Go's JSON encoder gives a map. */
  list(): TcpProxy[] {
    return [...this.proxies.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  get(name: string): TcpProxy {
    const proxy = this.proxies.get(name);
    if (proxy === undefined) throw errors.proxyNotFound();
    return proxy;
  }

  async create(input: ProxyInput): Promise<TcpProxy> {
    if (this.proxies.has(input.name)) throw errors.proxyAlreadyExists();
    const proxy = new TcpProxy(input.name, input.listen, input.upstream, this.environment);
    if (input.enabled) await proxy.start();
    this.proxies.set(input.name, proxy);
    return proxy;
  }

  /**
   * Restarts the proxy when its resolved listen address or its upstream changes (closing live
   * connections), then starts or stops it to match `enabled`. A failed bind leaves it disabled
   * with the new listen value stored.
   */
  async update(name: string, body: string): Promise<TcpProxy> {
    const proxy = this.get(name);
    const input = readProxyUpdate(body, {
      listen: proxy.listen,
      upstream: proxy.upstream,
      enabled: proxy.enabled,
    });
    let resolved: string;
    try {
      resolved = (await resolveTcpAddress(input.listen)).text;
    } catch (error) {
      throw errors.systemError(error instanceof Error ? error.message : String(error));
    }
    if (resolved !== proxy.listen || input.upstream !== proxy.upstream) {
      await proxy.stop();
      proxy.listen = input.listen;
      proxy.upstream = input.upstream;
    }
    if (input.enabled && !proxy.enabled) await proxy.start();
    else if (!input.enabled && proxy.enabled) await proxy.stop();
    return proxy;
  }

  async remove(name: string): Promise<void> {
    const proxy = this.get(name);
    await proxy.stop();
    this.proxies.delete(name);
  }

  /**
   * Creates or replaces proxies in order. An entry whose resolved listen and upstream equal the
   * existing proxy's keeps it untouched (toxics, state, connections); a different one replaces it.
   */
  async populate(entries: readonly ProxyInput[]): Promise<PopulateResult> {
    const done: TcpProxy[] = [];
    for (const entry of entries) {
      const existing = this.proxies.get(entry.name);
      if (existing !== undefined) {
        if (existing.upstream === entry.upstream && (await sameListen(existing.listen, entry.listen))) {
          done.push(existing);
          continue;
        }
        await existing.stop();
      }
      const proxy = new TcpProxy(entry.name, entry.listen, entry.upstream, this.environment);
      if (entry.enabled) {
        try {
          await proxy.start();
        } catch (error) {
          if (error instanceof errors.ToxiproxyApiError) return { proxies: done, error };
          throw error;
        }
      }
      this.proxies.set(entry.name, proxy);
      done.push(proxy);
    }
    return { proxies: done };
  }

  /** Re-enables every disabled proxy and removes every toxic; stops at the first bind failure. */
  async reset(): Promise<void> {
    for (const proxy of this.proxies.values()) {
      await proxy.start();
      proxy.toxics.reset();
    }
  }

  addToxic(proxyName: string, body: string): ToxicSpec {
    const proxy = this.get(proxyName);
    const input = readToxicCreate(body);
    if (proxy.toxics.find(input.name) !== undefined) throw errors.toxicAlreadyExists();
    const definition = TOXICS[input.type];
    const attributes = readToxicAttributes(definition, input.attributes, zeroAttributes(definition));
    const spec: ToxicSpec = {
      name: input.name,
      type: input.type,
      stream: input.stream,
      direction: input.direction,
      toxicity: input.toxicity,
      attributes,
    };
    proxy.toxics.add(spec);
    return spec;
  }

  getToxic(proxyName: string, toxicName: string): ToxicSpec {
    const toxic = this.get(proxyName).toxics.find(toxicName);
    if (toxic === undefined) throw errors.toxicNotFound();
    return toxic;
  }

  updateToxic(proxyName: string, toxicName: string, body: string): ToxicSpec {
    const proxy = this.get(proxyName);
    const current = this.getToxic(proxyName, toxicName);
    const spec: ToxicSpec = { ...current, ...readToxicUpdate(body, current) };
    proxy.toxics.update(spec);
    return spec;
  }

  removeToxic(proxyName: string, toxicName: string): void {
    const proxy = this.get(proxyName);
    this.getToxic(proxyName, toxicName);
    proxy.toxics.remove(toxicName);
  }

  /** Stops every proxy: listeners and live connections. */
  async closeAll(): Promise<void> {
    await Promise.all([...this.proxies.values()].map((proxy) => proxy.stop()));
  }
}

async function sameListen(current: string, requested: string): Promise<boolean> {
  try {
    return (await resolveTcpAddress(requested)).text === current;
  } catch {
    return false;
  }
}
