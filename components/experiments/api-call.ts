// The browser's calls to Faultline's JSON API (launch, save, halt, arm): same-origin, with the
// session cookie, never a token in client code. A failure comes back as data for <ApiFailure>.

export type ApiResult<T> =
  | { ok: true; status: number; data: T }
  | { ok: false; status: number; code: string; message: string };

export async function callApi<T>(
  url: string,
  options: { method?: string; body?: string; contentType?: string; signal?: AbortSignal } = {},
): Promise<ApiResult<T>> {
  try {
    const response = await fetch(url, {
      method: options.method ?? "POST",
      headers: { "content-type": options.contentType ?? "application/json" },
      body: options.body,
      credentials: "same-origin",
      signal: options.signal,
    });
    const json = (await response.json().catch(() => null)) as
      | (T & { error?: { code?: string; message?: string } })
      | null;
    if (response.ok) return { ok: true, status: response.status, data: json as T };
    return {
      ok: false,
      status: response.status,
      code: json?.error?.code ?? `http_${response.status}`,
      message: json?.error?.message ?? `The server answered ${response.status}.`,
    };
  } catch (error) {
    if ((error as Error).name === "AbortError") throw error;
    return {
      ok: false,
      status: 0,
      code: "network_error",
      message: `Could not reach the server: ${String(error)}`,
    };
  }
}
