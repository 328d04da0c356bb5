// One accepted client and its upstream socket: the dial, the two links, and how the pair closes.
// Closing follows Toxiproxy: when a direction ends, its destination is closed once flushed and the
// other direction's source is treated as gone (no half-close); a failed dial closes the client.
import net from "node:net";
import { parseDialAddress } from "./address";
import { Link } from "./link";
import { TOXICS } from "./toxics/index";
import type { Direction, RandomSource, ToxicSpec } from "./types";

/** What a connection needs from its proxy. */
export interface ConnectionOwner {
  readonly random: RandomSource;
  /** The toxics of a direction at this moment: each new link starts from this snapshot. */
  chain(direction: Direction): readonly ToxicSpec[];
  attach(link: Link): void;
  connectionClosed(connection: Connection): void;
}

// A destination whose peer stops reading never finishes its end(); Go's Close() would not wait.
const END_GRACE_MS = 10_000;

export class Connection {
  private upstream: net.Socket | undefined;
  private links: Link[] = [];
  private lingerZero = false;
  private finished = false;
  private readonly closing = new Set<net.Socket>();
  private readonly closedSockets = new Set<net.Socket>();

  constructor(
    readonly client: net.Socket,
    private readonly owner: ConnectionOwner,
  ) {
    client.setNoDelay(true);
    this.watch(client);
  }

  /** Dials the upstream; the client stays paused (unread) until both links run. */
  open(upstream: string): void {
    let target: { host: string; port: number };
    try {
      target = parseDialAddress(upstream);
    } catch {
      this.client.destroy();
      return;
    }
    const socket = net.connect({ host: target.host, port: target.port, allowHalfOpen: true });
    this.upstream = socket;
    this.watch(socket);
    socket.once("connect", () => this.startLinks(socket));
  }

  private watch(socket: net.Socket): void {
    socket.on("error", () => socket.destroy());
    socket.on("end", () => this.linkReading(socket)?.endSource());
    socket.once("close", () => this.socketClosed(socket));
  }

  private startLinks(upstream: net.Socket): void {
    if (this.finished || this.client.destroyed) {
      upstream.destroy();
      return;
    }
    upstream.setNoDelay(true);
    const up = this.owner.chain("upstream");
    const down = this.owner.chain("downstream");
    this.lingerZero = [...up, ...down].some((spec) => TOXICS[spec.type].lingerZero === true);
    const hooks = { destinationDone: (link: Link) => this.closeSocket(link.destination) };
    this.links = [
      new Link("upstream", this.client, upstream, up, this.owner.random, hooks),
      new Link("downstream", upstream, this.client, down, this.owner.random, hooks),
    ];
    for (const link of this.links) {
      this.owner.attach(link);
      link.start();
    }
    this.client.resume();
  }

  private linkReading(socket: net.Socket): Link | undefined {
    return this.links.find((link) => link.source === socket);
  }

  /** Closes a socket after its pending writes, like Go's Close(): reading from it stops at once. */
  private closeSocket(socket: net.Socket): void {
    if (this.closing.has(socket) || socket.destroyed) return;
    this.closing.add(socket);
    if (this.lingerZero) socket.resetAndDestroy();
    else {
      socket.end();
      socket.once("finish", () => socket.destroy());
      setTimeout(() => socket.destroy(), END_GRACE_MS).unref();
    }
    // Deferred: the other direction's flush must not run inside this direction's write path.
    process.nextTick(() => this.linkReading(socket)?.endSource());
  }

  private socketClosed(socket: net.Socket): void {
    this.closedSockets.add(socket);
    if (this.links.length === 0) {
      // Still dialling, or the dial failed: Toxiproxy closes the client right away, and a client
      // that left during the dial takes the half-open upstream with it.
      if (!this.client.destroyed) this.client.destroy();
      if (socket === this.client) this.upstream?.destroy();
    } else {
      this.linkReading(socket)?.endSource();
      for (const link of this.links) if (link.destination === socket) link.destinationClosed();
    }
    const sockets = this.upstream === undefined ? [this.client] : [this.client, this.upstream];
    if (sockets.every((candidate) => this.closedSockets.has(candidate))) this.finish();
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    for (const link of this.links) link.dispose();
    this.owner.connectionClosed(this);
  }

  /** Links of this connection (empty while dialling). */
  get activeLinks(): readonly Link[] {
    return this.links;
  }

  /** Bytes per direction as Toxiproxy's metrics count them: read from the source, written to the destination. */
  byteCounts(): Record<Direction, { received: number; sent: number }> {
    const upstream = this.upstream;
    return {
      upstream: { received: this.client.bytesRead, sent: upstream?.bytesWritten ?? 0 },
      downstream: { received: upstream?.bytesRead ?? 0, sent: this.client.bytesWritten },
    };
  }

  /** Closes both sockets now (proxy disabled, deleted or moved): FIN, or RST under SO_LINGER 0. */
  destroy(): void {
    for (const link of this.links) link.dispose();
    for (const socket of [this.client, this.upstream]) {
      if (socket === undefined || socket.destroyed) continue;
      if (this.lingerZero && !socket.connecting) socket.resetAndDestroy();
      else socket.destroy();
    }
  }
}
