import type { ReactNode } from "react";

/** What a section looks like with no data yet: what it will show, and the next step to get there. */
export function EmptyState({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="empty-state" aria-label={title}>
      <h2>{title}</h2>
      <div>{children}</div>
    </section>
  );
}
