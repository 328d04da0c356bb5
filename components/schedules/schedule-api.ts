// The schedule pages' calls: JSON bodies through the shared API client (session cookie, the
// API's message and per-field issues on failure).
import { type ApiResult, callApi } from "@/components/api/api-call";

export function callSchedules<T>(
  path: string,
  method: "POST" | "PATCH" | "DELETE",
  body?: unknown,
): Promise<ApiResult<T>> {
  return callApi<T>(path, { method, body: body === undefined ? undefined : JSON.stringify(body) });
}
