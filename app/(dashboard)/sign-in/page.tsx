import type { Metadata } from "next";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { PageHeader } from "@/components/page-header";
import { principalFromSessionCookie } from "@/lib/auth/access";
import { SESSION_COOKIE } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Sign in" };

/** Only same-site paths: `next` must not send a signed-in user to another site. */
function safeNext(value: string | string[] | undefined): string {
  const next = Array.isArray(value) ? value[0] : value;
  return next?.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : "/";
}

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[]>>;
}) {
  const next = safeNext((await searchParams).next);
  const signedIn = await principalFromSessionCookie((await cookies()).get(SESSION_COOKIE)?.value).catch(
    () => undefined,
  );
  if (signedIn) redirect(next.startsWith("/sign-in") ? "/" : next);
  return (
    <>
      <PageHeader title="Sign in">
        Every page of the dashboard needs a token. Paste the admin token that <code>npm start</code> printed
        at first start (or <code>FAULTLINE_ADMIN_TOKEN</code>), or an API token an admin created for you on
        the Tokens page: viewers read, operators also launch, abort and halt, admins also manage tokens. The
        browser keeps an httpOnly session cookie for 12 hours.
      </PageHeader>
      <SignInForm next={next} />
    </>
  );
}
