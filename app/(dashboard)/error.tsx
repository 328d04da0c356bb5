"use client";

/** Shown when a page cannot load its data (typically: the database went away). */
export default function DashboardError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <section className="empty-state" role="alert">
      <h2>This page could not load its data</h2>
      <p>
        The server said: <code>{error.message || "an internal error"}</code>. Check{" "}
        <a href="/api/ready">/api/ready</a> for the database and migration checks, then try again.
      </p>
      <button type="button" className="button" onClick={reset}>
        Try again
      </button>
    </section>
  );
}
