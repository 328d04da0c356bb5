import { cookies } from "next/headers";
import Link from "next/link";
import type { ReactNode } from "react";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { Nav } from "@/components/nav";
import { adminToken } from "@/lib/auth/admin-token";
import { SESSION_COOKIE, verifySession } from "@/lib/auth/session";

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

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const signedIn = verifySession((await cookies()).get(SESSION_COOKIE)?.value, await adminToken());
  return (
    <div className="shell">
      <aside className="sidebar">
        <Link prefetch={false} href="/" className="brand">
          <span className="brand-mark" aria-hidden="true">
            ⌁
          </span>{" "}
          Faultline
        </Link>
        <Nav sections={SECTIONS} />
        <section className="sidebar-foot" aria-label="Session">
          {signedIn ? (
            <>
              Signed in as operator · <SignOutButton />
            </>
          ) : (
            <Link prefetch={false} href="/sign-in">
              Sign in
            </Link>
          )}
        </section>
        <p className="sidebar-foot">
          <a href="/api/ready">Readiness</a> · <a href="/api/health">Health</a>
        </p>
      </aside>
      <main className="content">{children}</main>
    </div>
  );
}
