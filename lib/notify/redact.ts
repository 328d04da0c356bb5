// Webhook URLs are secrets (a Slack incoming-webhook URL is its own credential): they are stored,
// but whatever is printed or kept as an error message shows only the scheme and host.

/** `https://hooks.slack.com/services/T0/B0/xyz` → `https://hooks.slack.com/***`. */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "[unparseable url]";
  }
  const hidden =
    parsed.pathname !== "/" || parsed.search !== "" || parsed.hash !== "" || parsed.username !== "";
  return `${parsed.protocol}//${parsed.host}${hidden ? "/***" : "/"}`;
}

/** The text with every appearance of the URL (whole, or its path and query) replaced by its redacted form. */
export function redactIn(text: string, url: string): string {
  let result = text.split(url).join(redactUrl(url));
  try {
    const { pathname, search } = new URL(url);
    const secret = `${pathname}${search}`;
    // Only a path long enough to be a secret; "/" or "/hook" would mangle ordinary text.
    if (secret.length > 8) result = result.split(secret).join("/***");
  } catch {
    // Not a URL: nothing more to find.
  }
  return result;
}

/** "https://hooks.slack.com/…": where notifications go, without the secret in the path (pages, forms). */
export function maskUrl(url: string): string {
  try {
    return `${new URL(url).origin}/…`;
  } catch {
    return "…";
  }
}
