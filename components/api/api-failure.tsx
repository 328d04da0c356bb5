"use client";

import { usePathname, useSearchParams } from "next/navigation";
import styles from "./api.module.css";
import type { ApiFailureData } from "./api-call";

/** A failed API call, inline: a sign-in link for a 401, the API's own message otherwise. */
export function ApiFailure({
  failure,
  needs = "You need to sign in as an operator to do this.",
}: {
  failure: Pick<ApiFailureData, "status" | "code" | "message"> | null;
  /** What a 401 tells the user they need. */
  needs?: string;
}) {
  const pathname = usePathname();
  const search = useSearchParams().toString();
  if (!failure) return null;
  if (failure.status === 401) {
    const next = `${pathname}${search ? `?${search}` : ""}`;
    return (
      <p role="alert" className={styles.failure}>
        {needs} <a href={`/sign-in?next=${encodeURIComponent(next)}`}>Sign in</a>
      </p>
    );
  }
  return (
    <p role="alert" className={styles.failure}>
      <code>{failure.code}</code> {failure.message}
    </p>
  );
}
