// PostgreSQL connection strings as the migration tooling needs them: which server (for messages
// that must never show a password), which database, and the same server with another database.

/** "host:port" of a PostgreSQL URL. */
export function describeServer(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    return `${url.hostname || "localhost"}:${url.port || "5432"}`;
  } catch {
    return "the configured server";
  }
}

/** The database a URL names; libpq falls back to the user name, and so does this. */
export function databaseName(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ""));
  return name || decodeURIComponent(url.username) || "postgres";
}

/** The same server and credentials, another database (query parameters such as sslmode kept). */
export function withDatabase(databaseUrl: string, database: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

/** True when two URLs name the same database on the same server. */
export function isSameDatabase(a: string, b: string): boolean {
  return describeServer(a) === describeServer(b) && databaseName(a) === databaseName(b);
}

/** Double-quotes an SQL identifier. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
