// One named proxy: its listener, its live connections and its toxics. Starting binds `listen` and
// stores the address actually bound (so the port survives disable/enable); stopping closes the
// listener and every live connection.
import net from "node:net";
import {
  AddressError,
  formatListener,
  listenErrorText,
  type ResolvedAddress,
  resolveTcpAddress,
} from "./address";
import { Connection, type ConnectionOwner } from "./connection";
import { systemError } from "./errors";
import type { Link } from "./link";
import type { ProxyMetrics } from "./metrics";
import { ToxicCollection } from "./toxic-collection";
import { DIRECTIONS, type Direction, type RandomSource, type ToxicSpec } from "./types";

export interface ProxyEnvironment {
  random: RandomSource;
  metrics?: ProxyMetrics;
}

export class TcpProxy implements ConnectionOwner {
  enabled = false;
  readonly toxics = new ToxicCollection();
  private server: net.Server | undefined;
  private readonly connections = new Set<Connection>();

  constructor(
    readonly name: string,
    public listen: string,
    public upstream: string,
    private readonly environment: ProxyEnvironment,
  ) {}

  get random(): RandomSource {
    return this.environment.random;
  }

  /** Binds the listener; throws a 500 with Go's text when resolving or binding fails. */
  async start(): Promise<void> {
    if (this.enabled) return;
    let address: ResolvedAddress;
    try {
      address = await resolveTcpAddress(this.listen);
    } catch (error) {
      if (error instanceof AddressError) throw systemError(`listen tcp: ${error.message}`);
      throw error;
    }
    const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true }, (socket) =>
      this.accept(socket),
    );
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen({ host: address.ip ?? undefined, port: address.port }, () => {
        server.off("error", reject);
        resolve();
      });
    }).catch((error: unknown) => {
      throw systemError(listenErrorText(address, error));
    });
    server.on("error", () => undefined);
    this.server = server;
    this.listen = formatListener(server);
    this.enabled = true;
  }

  /** Closes the listener (new clients get ECONNREFUSED) and every live connection (FIN). */
  async stop(): Promise<void> {
    if (!this.enabled) return;
    this.enabled = false;
    const server = this.server;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => {
      if (server === undefined) resolve();
      else server.close(() => resolve());
    });
    for (const connection of this.connections) connection.destroy();
    await closed;
  }

  private accept(socket: net.Socket): void {
    const connection = new Connection(socket, this);
    this.connections.add(connection);
    connection.open(this.upstream);
  }

  chain(direction: Direction): readonly ToxicSpec[] {
    return this.toxics.chain(direction);
  }

  attach(link: Link): void {
    this.toxics.attach(link);
  }

  connectionClosed(connection: Connection): void {
    this.connections.delete(connection);
    for (const link of connection.activeLinks) this.toxics.detach(link);
    const metrics = this.environment.metrics;
    if (metrics === undefined || connection.activeLinks.length === 0) return;
    const counts = connection.byteCounts();
    for (const direction of DIRECTIONS) {
      const labels = { direction, proxy: this.name, listener: this.listen, upstream: this.upstream };
      metrics.record(labels, counts[direction].received, counts[direction].sent);
    }
  }

  /** Live connections (for tests and shutdown). */
  get connectionCount(): number {
    return this.connections.size;
  }
}
