import Link from "next/link";
import type { ReactNode } from "react";
import { Nav } from "@/components/nav";

// Every dashboard page reads live data from PostgreSQL: never prerender at build time.
export const dynamic = "force-dynamic";

const SECTIONS = [
  { href: "/", label: "Overview" },
  { href: "/experiments", label: "Experiments" },
  { href: "/compare", label: "Compare" },
  { href: "/models", label: "Models" },
  { href: "/schedules", label: "Schedules" },
  { href: "/audit", label: "Audit" },
];

export default function DashboardLayout({ children }: { children: ReactNode }) {
  return (
    <div className="shell">
      <aside className="sidebar">
        <Link href="/" className="brand">
          <span className="brand-mark" aria-hidden="true">
            ⌁
          </span>{" "}
          Faultline
        </Link>
        <Nav sections={SECTIONS} />
        <p className="sidebar-foot">
          <a href="/api/ready">Readiness</a> · <a href="/api/health">Health</a>
        </p>
      </aside>
      <main className="content">{children}</main>
    </div>
  );
}
