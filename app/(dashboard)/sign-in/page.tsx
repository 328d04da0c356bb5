import type { Metadata } from "next";
import { SignInForm } from "@/components/auth/sign-in-form";
import { PageHeader } from "@/components/page-header";

export const metadata: Metadata = { title: "Sign in" };

/** Only same-site paths: `next` must not send a signed-in user to another site. */
function safeNext(value: string | string[] | undefined): string {
  const next = Array.isArray(value) ? value[0] : value;
  return next?.startsWith("/") && !next.startsWith("//") ? next : "/";
}

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[]>>;
}) {
  const next = safeNext((await searchParams).next);
  return (
    <>
      <PageHeader title="Sign in">
        Launching drills, aborting runs and halting faults need an operator. Paste the admin token that{" "}
        <code>npm start</code> printed at first start (or <code>FAULTLINE_ADMIN_TOKEN</code>); the browser
        keeps an httpOnly session cookie for 12 hours.
      </PageHeader>
      <SignInForm next={next} />
    </>
  );
}
