import { headers } from "next/headers";
import Link from "next/link";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { Nav } from "@/components/nav";
import { describeError } from "@/kernel/errors";
import type { Principal } from "@/lib/auth/access";
import { pagePrincipal } from "@/lib/auth/page-principal";
import { PATH_HEADER } from "@/lib/auth/session";

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
const ADMIN_SECTIONS = [{ href: "/tokens", label: "Tokens" }];

type SessionCheck = { principal?: Principal; error?: string };

async function checkSession(): Promise<SessionCheck> {
  try {
    return { principal: await pagePrincipal() };
  } catch (error) {
    return { error: describeError(error) };
  }
}

/**
 * The shell, and the second half of the sign-in gate: proxy.ts already redirected a browser
 * without a session; this checks again where the page renders (and fails closed when the
 * session cannot be checked), so no page renders for nobody even if the proxy is bypassed.
 */
export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const path = (await headers()).get(PATH_HEADER) ?? "/";
  const onSignIn = path === "/sign-in" || path.startsWith("/sign-in?");
  const { principal, error } = await checkSession();
  if (!principal && !error && !onSignIn) redirect(`/sign-in?next=${encodeURIComponent(path)}`);
  const sections = principal?.role === "admin" ? [...SECTIONS, ...ADMIN_SECTIONS] : SECTIONS;
  return (
    <div className="shell">
      <aside className="sidebar">
        <Link prefetch={false} href="/" className="brand">
          <span className="brand-mark" aria-hidden="true">
            ⌁
          </span>{" "}
          Faultline
        </Link>
        {principal ? <Nav sections={sections} /> : null}
        <section className="sidebar-foot" aria-label="Session">
          {principal ? (
            <>
              Signed in as <strong data-testid="session-actor">{principal.actor}</strong> ·{" "}
              <span data-testid="session-role">{principal.role}</span> · <SignOutButton />
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
      <main className="content">
        {error && !onSignIn ? (
          <section className="empty-state" role="alert">
            <h2>Your session could not be checked</h2>
            <p>
              The server said: <code>{error}</code>. Check <a href="/api/ready">/api/ready</a> for the
              database checks, then reload.
            </p>
          </section>
        ) : (
          children
        )}
      </main>
    </div>
  );
}
