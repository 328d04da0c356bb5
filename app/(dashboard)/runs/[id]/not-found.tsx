import Link from "next/link";

export default function RunNotFound() {
  return (
    <section className="empty-state" aria-label="Run not found">
      <h2>No such run</h2>
      <p>
        There is no run with this id. Runs are listed on the{" "}
        <Link prefetch={false} href="/">
          overview
        </Link>{" "}
        and on each{" "}
        <Link prefetch={false} href="/experiments">
          experiment
        </Link>
        .
      </p>
    </section>
  );
}
