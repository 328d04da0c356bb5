// Toxiproxy's optional proxy metrics (-proxy-metrics): bytes received from each link's source and
// sent to its destination, counted when a connection ends, in Prometheus text format.
import type { Direction } from "./types";

interface Series {
  direction: Direction;
  proxy: string;
  listener: string;
  upstream: string;
  received: number;
  sent: number;
}

export class ProxyMetrics {
  private readonly series = new Map<string, Series>();

  record(labels: Omit<Series, "received" | "sent">, received: number, sent: number): void {
    const key = JSON.stringify([labels.direction, labels.proxy, labels.listener, labels.upstream]);
    const entry = this.series.get(key) ?? { ...labels, received: 0, sent: 0 };
    entry.received += received;
    entry.sent += sent;
    this.series.set(key, entry);
  }

  /** The exposition text; label names in the order Prometheus' Go client prints them (sorted). */
  render(): string {
    const lines: string[] = [];
    for (const [metric, pick] of [
      ["toxiproxy_proxy_received_bytes_total", (s: Series) => s.received],
      ["toxiproxy_proxy_sent_bytes_total", (s: Series) => s.sent],
    ] as const) {
      lines.push(`# TYPE ${metric} counter`);
      for (const s of this.series.values()) {
        const labels = `direction="${escapeLabel(s.direction)}",listener="${escapeLabel(s.listener)}",proxy="${escapeLabel(s.proxy)}",upstream="${escapeLabel(s.upstream)}"`;
        lines.push(`${metric}{${labels}} ${pick(s)}`);
      }
    }
    return `${lines.join("\n")}\n`;
  }
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}
