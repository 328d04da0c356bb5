// Which Toxiproxy the chaos/proxy compatibility suite talks to: TOXIPROXY_TEST_URL points it at a
// real server (e.g. http://127.0.0.1:8474); unset, each test file starts the embedded one.

/** The real Toxiproxy to test against, without a trailing slash, or undefined for the embedded one. */
export function toxiproxyTestUrl(): string | undefined {
  const value = process.env.TOXIPROXY_TEST_URL?.trim();
  return value ? value.replace(/\/+$/, "") : undefined;
}
