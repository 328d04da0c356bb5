// The HTTP client integration tests use to call Faultline's API: a base URL and a token, JSON in
// and out. `call` never throws for an HTTP status: tests assert on `status`, `body` (parsed when
// the answer is JSON, else the text) and `text`.
import { TEST_ADMIN_TOKEN } from "./web-server";

// biome-ignore lint/suspicious/noExplicitAny: API bodies of many shapes, checked field by field
export type ApiBody = Record<string, any>;

export interface ApiResponse<T = ApiBody> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

export interface CallOptions {
  /** Bearer token for this call; null sends none. Default: the client's token. */
  token?: string | null;
  /** Extra headers, over the defaults (authorization, and content-type when there is a body). */
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface ApiClient {
  /**
   * `body`: a string is sent as is (malformed JSON on purpose), anything else as JSON.
   * `options`: a token (string), or CallOptions.
   */
  call<T = ApiBody>(
    method: string,
    path: string,
    body?: unknown,
    options?: string | CallOptions,
  ): Promise<ApiResponse<T>>;
  /** The same client with another default token (null: anonymous). */
  as(token: string | null): ApiClient;
}

/**
 * `baseUrl` may be a function, for a server started in a `before` hook after the client is made.
 * The token defaults to the test servers' bootstrap admin token.
 */
export function createApiClient(
  baseUrl: string | (() => string),
  token: string | null = TEST_ADMIN_TOKEN,
): ApiClient {
  const base = typeof baseUrl === "function" ? baseUrl : () => baseUrl;
  return {
    async call<T>(method: string, path: string, body?: unknown, given?: string | CallOptions) {
      const options: CallOptions = typeof given === "string" ? { token: given } : (given ?? {});
      const bearer = options.token === undefined ? token : options.token;
      const response = await fetch(`${base()}${path}`, {
        method,
        headers: {
          ...(bearer === null ? {} : { authorization: `Bearer ${bearer}` }),
          ...(body === undefined ? {} : { "content-type": "application/json" }),
          ...options.headers,
        },
        body: body === undefined || typeof body === "string" ? body : JSON.stringify(body),
        signal: options.signal,
      });
      const text = await response.text();
      const json = text !== "" && response.headers.get("content-type")?.includes("json");
      return {
        status: response.status,
        body: (json ? JSON.parse(text) : text) as T,
        text,
        headers: response.headers,
      };
    },
    as(other) {
      return createApiClient(base, other);
    },
  };
}
