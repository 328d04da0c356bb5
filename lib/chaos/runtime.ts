// The web process's chaos runtime: the active fault leases in memory (what the request path
// reads, with no I/O), written through to PostgreSQL, expired by a sweeper within ~100 ms of
// their deadline, cleared at once by the kill switch. One per process, on globalThis: the data
// plane (outside Next.js) and Next's route handlers load this module separately but share it.
import { randomUUID } from "node:crypto";
import { startCpuBurn } from "../../chaos/faults/cpu-burn";
import { type Fault, type FaultRequest, isRequestFault } from "../../chaos/faults/index";
import { holdMemory } from "../../chaos/faults/memory-pressure";
import type { NetworkFault } from "../../chaos/faults/network";
import { type ChaosRequest, EMPTY_PLAN, type Plan, plan } from "../../chaos/plan";
import { createProxyControl, type ProxyControl } from "../../chaos/proxy/control";
import { AppError, describeError } from "../../kernel/errors";
import { createRandom, type Random } from "../../kernel/random";
import { env } from "../env";
import { SessionPool } from "../inference/session-pool";
import * as store from "./persistence";

const SWEEP_INTERVAL_MS = 100;

export interface HaltResult {
  faultsEnded: number;
  toxicsRemoved: number;
  /** Set when the proxy could not be reached; its toxics may remain. */
  proxyError?: string;
}

export class ChaosRuntime {
  private readonly faults = new Map<string, Fault>();
  /** The per-request faults, for the request path; rebuilt on every change. */
  private snapshot: Fault[] = [];
  private readonly streams = new Map<string, Random>();
  private readonly releases = new Map<string, () => Promise<void>>();
  private readonly gates = new Map<string, SessionPool>();
  private readonly hangs = new Map<string, Set<() => void>>();
  private readonly sweeper: NodeJS.Timeout;
  private halted = false;

  private constructor(
    private readonly proxy: ProxyControl,
    private readonly log: (message: string) => void,
  ) {
    this.sweeper = setInterval(() => void this.sweep(), SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  /** Loads the kill switch and the leases from PostgreSQL; leases that lapsed meanwhile end now. */
  static async start(log: (message: string) => void = console.log): Promise<ChaosRuntime> {
    const runtime = new ChaosRuntime(createProxyControl(proxyApiUrl()), log);
    const state = await store.loadChaosState();
    runtime.halted = state.halted;
    const now = Date.now();
    for (const fault of state.open) {
      if (fault.expiresAt.getTime() <= now || state.halted) {
        await runtime.releaseNetwork(fault).catch(() => {});
        await store.recordFaultEnded(fault, state.halted ? "halted" : "expired", "lease", new Date());
        continue;
      }
      try {
        await runtime.activate(fault);
        runtime.faults.set(fault.id, fault);
      } catch (error) {
        log(`[chaos] could not restore fault ${fault.id}: ${describeError(error)}; ending it`);
        await store.recordFaultEnded(fault, "stopped", "system", new Date());
      }
    }
    runtime.refresh();
    if (runtime.faults.size > 0)
      log(`[chaos] ${runtime.faults.size} fault lease(s) still valid after restart`);
    if (runtime.halted) log("[chaos] halted: no fault may start until POST /api/v1/faults/arm");
    return runtime;
  }

  /** True when no per-request fault is active: the request path's fast exit. */
  get idle(): boolean {
    return this.snapshot.length === 0;
  }

  isHalted(): boolean {
    return this.halted;
  }

  list(): Fault[] {
    return [...this.faults.values()];
  }

  get(id: string): Fault {
    const fault = this.faults.get(id);
    if (!fault) throw notActive(id);
    return fault;
  }

  planFor(request: ChaosRequest): Plan {
    if (this.snapshot.length === 0) return EMPTY_PLAN;
    return plan(request, this.snapshot, (fault) => this.streamFor(fault.id), Date.now());
  }

  /** The fault's own seeded stream: its decisions replay in order for the same fault id. */
  streamFor(faultId: string): Random {
    let random = this.streams.get(faultId);
    if (!random) {
      random = createRandom(this.faults.get(faultId)?.seed ?? faultId);
      this.streams.set(faultId, random);
    }
    return random;
  }

  /** The overload fault's limiter (requests it hits queue here before the model's own pool). */
  gateFor(faultId: string): SessionPool | undefined {
    return this.gates.get(faultId);
  }

  /** Resolves when the hang fault ends (the request is then served) or the client gives up. */
  waitForRelease(faultId: string, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (!this.faults.has(faultId) || signal.aborted) return resolve();
      const waiters = this.hangs.get(faultId) ?? new Set();
      this.hangs.set(faultId, waiters);
      const done = () => {
        waiters.delete(done);
        signal.removeEventListener("abort", done);
        resolve();
      };
      waiters.add(done);
      signal.addEventListener("abort", done, { once: true });
    });
  }

  async create(request: FaultRequest, actor: string): Promise<Fault> {
    if (env().FAULTLINE_CHAOS === "off") {
      throw new AppError(
        "chaos_disabled",
        "Fault injection is off in this process (FAULTLINE_CHAOS=off).",
        409,
      );
    }
    if (this.halted) {
      throw new AppError(
        "chaos_halted",
        "Chaos is halted: no fault may start until an operator re-arms it (POST /api/v1/faults/arm).",
        409,
      );
    }
    const now = Date.now();
    const fault: Fault = {
      id: randomUUID(),
      params: request.params,
      probability: request.lease.probability,
      scope: request.lease.scope,
      model: request.lease.model,
      seed: request.lease.seed === undefined ? undefined : String(request.lease.seed),
      actor,
      createdAt: new Date(now),
      expiresAt: new Date(now + request.lease.ttlSeconds * 1000),
    };
    await this.activate(fault);
    try {
      await store.recordFaultStarted(fault);
    } catch (error) {
      await this.deactivate(fault);
      throw error;
    }
    // A halt that landed while this fault was being set up wins: the fault never goes live.
    if (this.halted) {
      await this.deactivate(fault);
      await store.recordFaultEnded(fault, "halted", actor, new Date());
      throw new AppError(
        "chaos_halted",
        "Chaos was halted while the fault was starting; it was not applied.",
        409,
      );
    }
    this.faults.set(fault.id, fault);
    this.refresh();
    return fault;
  }

  async renew(id: string, ttlSeconds: number): Promise<Fault> {
    const fault = this.get(id);
    if (fault.expiresAt.getTime() <= Date.now()) throw notActive(id);
    const renewed = { ...fault, expiresAt: new Date(Date.now() + ttlSeconds * 1000) };
    await store.recordFaultRenewed(id, renewed.expiresAt);
    if (!this.faults.has(id)) throw notActive(id);
    this.faults.set(id, renewed);
    this.refresh();
    return renewed;
  }

  async stop(id: string, actor: string): Promise<Fault> {
    const fault = this.get(id);
    await this.end(fault, "stopped", actor);
    return fault;
  }

  /** The kill switch: persisted first, so a crash halfway still refuses new faults after restart. */
  async halt(actor: string): Promise<HaltResult> {
    this.halted = true;
    const ending = [...this.faults.values()];
    await store.recordHalted(true, actor, { faults: ending.map((fault) => fault.id) });
    await Promise.all(ending.map((fault) => this.end(fault, "halted", actor)));
    const result: HaltResult = { faultsEnded: ending.length, toxicsRemoved: 0 };
    try {
      result.toxicsRemoved = await this.proxy.removeFaultlineToxics();
    } catch (error) {
      result.proxyError = describeError(error);
    }
    this.log(
      `[chaos] halted by ${actor}: ${result.faultsEnded} fault(s) ended, ${result.toxicsRemoved} toxic(s) removed`,
    );
    return result;
  }

  async arm(actor: string): Promise<void> {
    await store.recordHalted(false, actor, {});
    this.halted = false;
    this.log(`[chaos] armed by ${actor}`);
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    // Leases stay in the database: a restart within their lifetime picks them up again.
    await Promise.all([...this.faults.values()].map((fault) => this.deactivate(fault)));
  }

  private async sweep(): Promise<void> {
    const now = Date.now();
    for (const fault of this.faults.values()) {
      if (fault.expiresAt.getTime() > now) continue;
      await this.end(fault, "expired", "lease").catch((error) =>
        this.log(`[chaos] expiring fault ${fault.id} failed: ${describeError(error)}`),
      );
    }
  }

  private async end(fault: Fault, reason: store.EndReason, actor: string): Promise<void> {
    // Out of the request path first; cleanup and bookkeeping after.
    if (!this.faults.delete(fault.id)) return;
    this.refresh();
    await this.deactivate(fault);
    await store.recordFaultEnded(fault, reason, actor, new Date());
  }

  /** Starts what a fault holds outside the request path (burners, memory, toxics, limiters). */
  private async activate(fault: Fault): Promise<void> {
    const { params } = fault;
    if (params.type === "cpu_burn") this.releases.set(fault.id, startCpuBurn(params));
    else if (params.type === "memory_pressure") this.releases.set(fault.id, holdMemory(params));
    else if (params.type === "network") await this.addToxic(fault, params);
    else if (params.type === "overload") {
      this.gates.set(fault.id, new SessionPool(`overload:${fault.id}`, params.concurrency, params.queueSize));
    }
  }

  private async deactivate(fault: Fault): Promise<void> {
    const release = this.releases.get(fault.id);
    this.releases.delete(fault.id);
    this.gates.delete(fault.id);
    this.streams.delete(fault.id);
    for (const wake of this.hangs.get(fault.id) ?? []) wake();
    this.hangs.delete(fault.id);
    await release?.();
    if (fault.params.type === "network") await this.releaseNetwork(fault);
  }

  private async addToxic(fault: Fault, params: NetworkFault): Promise<void> {
    await this.proxy.removeToxic(params.proxy, toxicName(fault.id)).catch(() => false);
    try {
      await this.proxy.addToxic(params.proxy, { ...params.toxic, name: toxicName(fault.id) });
    } catch (error) {
      throw new AppError(
        "network_fault_failed",
        `Could not add the toxic to proxy "${params.proxy}": ${describeError(error)}`,
        400,
      );
    }
  }

  private async releaseNetwork(fault: Fault): Promise<void> {
    if (fault.params.type !== "network") return;
    await this.proxy.removeToxic(fault.params.proxy, toxicName(fault.id)).catch((error) => {
      this.log(`[chaos] could not remove toxic of fault ${fault.id}: ${describeError(error)}`);
      return false;
    });
  }

  private refresh(): void {
    this.snapshot = [...this.faults.values()].filter((fault) => isRequestFault(fault.params.type));
  }
}

const toxicName = (faultId: string) => `faultline_${faultId}`;

function notActive(id: string): AppError {
  return new AppError(
    "fault_not_found",
    `No active fault has id "${id}" (it may have expired or been stopped).`,
    404,
  );
}

/** TOXIPROXY_URL when set; otherwise the embedded proxy's API. */
export function proxyApiUrl(): string {
  const settings = env();
  return settings.TOXIPROXY_URL ?? `http://${settings.PROXY_HOST}:${settings.PROXY_PORT}`;
}

const globalForChaos = globalThis as unknown as { faultlineChaos?: Promise<ChaosRuntime> };

export function getChaosRuntime(): Promise<ChaosRuntime> {
  globalForChaos.faultlineChaos ??= ChaosRuntime.start().catch((error) => {
    globalForChaos.faultlineChaos = undefined;
    throw error;
  });
  return globalForChaos.faultlineChaos;
}
