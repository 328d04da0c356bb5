// The Toxiproxy API's error catalogue: exact message strings and status codes of Toxiproxy 2.12
// (shared/specs/toxiproxy.md §1.4). Clients match on these strings, so they live in one place.
import { AppError } from "../../kernel/errors";

export class ToxiproxyApiError extends AppError {
  constructor(message: string, status: number) {
    super("toxiproxy_api", message, status);
    this.name = "ToxiproxyApiError";
  }
}

export const badRequestBody = (detail: string) => new ToxiproxyApiError(`bad request body: ${detail}`, 400);
export const missingField = (field: string) => new ToxiproxyApiError(`missing required field: ${field}`, 400);
export const proxyNotFound = () => new ToxiproxyApiError("proxy not found", 404);
export const proxyAlreadyExists = () => new ToxiproxyApiError("proxy already exists", 409);
export const invalidStream = () =>
  new ToxiproxyApiError("stream was invalid, can be either upstream or downstream", 400);
export const invalidToxicType = () => new ToxiproxyApiError("invalid toxic type", 400);
export const toxicAlreadyExists = () => new ToxiproxyApiError("toxic already exists", 409);
export const toxicNotFound = () => new ToxiproxyApiError("toxic not found", 404);
/** Bind and resolver failures: the real server answers 500 with the OS or resolver text. */
export const systemError = (message: string) => new ToxiproxyApiError(message, 500);
/** Attribute values the real server accepts and then crashes on (§2.3); ours refuses them. */
export const invalidAttribute = (message: string) => new ToxiproxyApiError(message, 400);
