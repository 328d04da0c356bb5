// The toxics of one proxy: an ordered chain per direction and the live links that run them. Every
// change is applied to the chain and to each live link of that direction at once.
import type { Link } from "./link";
import { DIRECTIONS, type Direction, type ToxicSpec } from "./types";

export class ToxicCollection {
  private readonly chains: Record<Direction, ToxicSpec[]> = { upstream: [], downstream: [] };
  private readonly links: Record<Direction, Set<Link>> = { upstream: new Set(), downstream: new Set() };

  /** Upstream chain first, then downstream, each in insertion order (as the real server lists them). */
  list(): ToxicSpec[] {
    return [...this.chains.upstream, ...this.chains.downstream];
  }

  find(name: string): ToxicSpec | undefined {
    return this.list().find((toxic) => toxic.name === name);
  }

  chain(direction: Direction): readonly ToxicSpec[] {
    return [...this.chains[direction]];
  }

  attach(link: Link): void {
    this.links[link.direction].add(link);
  }

  detach(link: Link): void {
    this.links[link.direction].delete(link);
  }

  add(spec: ToxicSpec): void {
    this.chains[spec.direction].push(spec);
    for (const link of [...this.links[spec.direction]]) link.addToxic(spec);
  }

  update(spec: ToxicSpec): void {
    const chain = this.chains[spec.direction];
    const index = chain.findIndex((toxic) => toxic.name === spec.name);
    if (index < 0) return;
    chain[index] = spec;
    for (const link of [...this.links[spec.direction]]) link.updateToxic(spec);
  }

  remove(name: string): void {
    for (const direction of DIRECTIONS) {
      const chain = this.chains[direction];
      const index = chain.findIndex((toxic) => toxic.name === name);
      if (index < 0) continue;
      chain.splice(index, 1);
      for (const link of [...this.links[direction]]) link.removeToxic(name);
    }
  }

  /** Removes every toxic from the head of each chain, as POST /reset does. */
  reset(): void {
    for (const direction of DIRECTIONS) {
      for (let head = this.chains[direction][0]; head !== undefined; head = this.chains[direction][0]) {
        this.remove(head.name);
      }
    }
  }
}
