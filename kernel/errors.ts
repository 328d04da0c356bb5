// One error family for the whole product. Services throw AppError; lib/http.ts is the one place
// that turns it into `{ error: { code, message, details? } }` with its HTTP status.

export type ErrorDetails = Record<string, unknown> | unknown[];

const APP_ERROR = Symbol.for("faultline.AppError");

export class AppError extends Error {
  /**
   * `instanceof AppError` must hold across bundle copies of this module: Next.js bundles
   * instrumentation (which creates the model server) apart from the route handlers that catch
   * its errors, so the check is a brand, not the prototype chain. Subclasses keep the usual check.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class tested against (AppError or a subclass).
    if (this !== AppError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return (
      typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[APP_ERROR] === true
    );
  }

  readonly [APP_ERROR] = true;

  constructor(
    /** Machine-readable, stable: clients branch on it (`database_unreachable`, `not_found`…). */
    readonly code: string,
    /** One human sentence saying what went wrong and, where possible, what to do. */
    message: string,
    readonly status = 500,
    readonly details?: ErrorDetails,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const badRequest = (code: string, message: string, details?: ErrorDetails) =>
  new AppError(code, message, 400, details);

/** Startup problems the launcher reports as one sentence and a non-zero exit, never a stack. */
export class StartupError extends AppError {
  constructor(code: string, message: string) {
    super(code, message, 503);
    this.name = "StartupError";
  }
}

/** The message of anything thrown, including the `undefined` some libraries reject with. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (error === undefined || error === null) return "no reason given";
  return String(error);
}
