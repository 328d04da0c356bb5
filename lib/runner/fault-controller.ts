// The runner's side of fault leases: starts a phase's faults through the web process's control
// API, scoped to the run, with short leases it renews; stops them at the end of the phase, on
// abort and on error; and checks at the end that nothing of the run's is still active. If the
// runner dies, its leases lapse within `ttlSeconds` on their own.
import { describeError } from "../../kernel/errors";

export interface FaultControllerOptions {
  /** The web process, e.g. http://127.0.0.1:3000. */
  baseUrl: string;
  token: string;
  runId: string;
  /** Lease length; renewed every third of it. */
  ttlSeconds?: number;
  log?: (message: string) => void;
}

export interface StartedFault {
  id: string;
  type: string;
}

export class FaultControlError extends Error {}

export class FaultController {
  private readonly active = new Map<string, StartedFault>();
  private readonly renewer: NodeJS.Timeout;
  private readonly ttlSeconds: number;

  constructor(private readonly options: FaultControllerOptions) {
    this.ttlSeconds = options.ttlSeconds ?? 6;
    this.renewer = setInterval(() => void this.renewAll(), (this.ttlSeconds * 1000) / 3);
    this.renewer.unref();
  }

  /** Starts every fault of a phase; if one is refused, the ones already started are stopped. */
  async start(faults: ReadonlyArray<Record<string, unknown>>): Promise<StartedFault[]> {
    const started: StartedFault[] = [];
    try {
      for (const fault of faults) {
        const body = { ...fault, ttlSeconds: this.ttlSeconds, scope: { run: this.options.runId } };
        const created = (await this.call("POST", "/api/v1/faults", body)) as StartedFault;
        this.active.set(created.id, { id: created.id, type: created.type });
        started.push(created);
      }
    } catch (error) {
      await this.stop(started.map((fault) => fault.id));
      throw error;
    }
    return started;
  }

  async stop(ids: readonly string[] = [...this.active.keys()]): Promise<void> {
    await Promise.all(
      ids.map(async (id) => {
        this.active.delete(id);
        // 404: it already ended (expired, halted): nothing left to do.
        await this.call("DELETE", `/api/v1/faults/${id}`, undefined, [404]);
      }),
    );
  }

  /**
   * Faults of this run the web process still has active (should be none after stop). Retried
   * for up to `patienceMs`: right after an overload the web process may answer slowly.
   */
  async residual(patienceMs = 60_000): Promise<StartedFault[]> {
    const until = Date.now() + patienceMs;
    while (true) {
      try {
        return await this.residualOnce();
      } catch (error) {
        if (error instanceof FaultControlError || Date.now() > until) throw error;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }

  private async residualOnce(): Promise<StartedFault[]> {
    const listed = (await this.call("GET", "/api/v1/faults")) as {
      faults: Array<{ id: string; type: string; scope: { run?: string } }>;
    };
    return listed.faults
      .filter((fault) => fault.scope.run === this.options.runId)
      .map((fault) => ({ id: fault.id, type: fault.type }));
  }

  close(): void {
    clearInterval(this.renewer);
  }

  private async renewAll(): Promise<void> {
    for (const id of this.active.keys()) {
      try {
        await this.call("POST", `/api/v1/faults/${id}/renew`, { ttlSeconds: this.ttlSeconds });
      } catch (error) {
        this.options.log?.(`[faults] renewing ${id} failed: ${describeError(error)}`);
      }
    }
  }

  private async call(
    method: string,
    path: string,
    body?: unknown,
    tolerated: number[] = [],
  ): Promise<unknown> {
    const response = await fetch(new URL(path, this.options.baseUrl), {
      method,
      headers: { authorization: `Bearer ${this.options.token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    if (response.ok || tolerated.includes(response.status)) return text ? JSON.parse(text) : undefined;
    let message = text;
    try {
      message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? text;
    } catch {}
    throw new FaultControlError(`${method} ${path} → ${response.status}: ${message}`);
  }
}
