// The browser's calls to Faultline's JSON API (launch, save, halt, arm, schedules, tokens):
// same-origin, with the session cookie, never a token in client code. A failure comes back as
// data for <ApiFailure>, with a 400's per-field issues when the API gave them.

export interface ApiFailureData {
  status: number;
  code: string;
  message: string;
  /** Field → what is wrong with it (from `details.issues` of a 400). */
  fields: Record<string, string>;
}

export type ApiResult<T> = { ok: true; status: number; data: T } | ({ ok: false } & ApiFailureData);

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
      | (T & {
          error?: {
            code?: string;
            message?: string;
            details?: { issues?: Array<{ path: string; message: string }> };
          };
        })
      | null;
    if (response.ok) return { ok: true, status: response.status, data: json as T };
    const fields: Record<string, string> = {};
    for (const issue of json?.error?.details?.issues ?? []) fields[issue.path] ??= issue.message;
    return {
      ok: false,
      status: response.status,
      code: json?.error?.code ?? `http_${response.status}`,
      message: json?.error?.message ?? `The server answered ${response.status}.`,
      fields,
    };
  } catch (error) {
    if ((error as Error).name === "AbortError") throw error;
    return {
      ok: false,
      status: 0,
      code: "network_error",
      message: `Could not reach the server: ${String(error)}`,
      fields: {},
    };
  }
}
