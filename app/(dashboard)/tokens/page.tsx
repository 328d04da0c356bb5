import type { Metadata } from "next";
import { cookies } from "next/headers";
import { EmptyState } from "@/components/empty-state";
import { PageHeader } from "@/components/page-header";
import { TokenManager } from "@/components/tokens/token-manager";
import { principalFromSessionCookie } from "@/lib/auth/access";
import { SESSION_COOKIE } from "@/lib/auth/session";
import { listApiTokens } from "@/lib/auth/tokens";

export const metadata: Metadata = { title: "Tokens" };

export default async function TokensPage() {
  const principal = await principalFromSessionCookie((await cookies()).get(SESSION_COOKIE)?.value);
  const header = (
    <PageHeader title="API tokens">
      Tokens for people and machines: viewers read, operators also launch, abort and halt, admins also manage
      tokens and schedules. A token is shown once, when it is created; Faultline keeps only a hash. Revoking a
      token signs out every browser that signed in with it.
    </PageHeader>
  );
  if (principal?.role !== "admin") {
    return (
      <>
        {header}
        <EmptyState title="Only admins manage tokens">
          <p>
            You are signed in as {principal?.actor ?? "nobody"} with the {principal?.role ?? "no"} role. Ask
            an admin for a token with the role you need.
          </p>
        </EmptyState>
      </>
    );
  }
  return (
    <>
      {header}
      <TokenManager tokens={await listApiTokens()} />
    </>
  );
}
