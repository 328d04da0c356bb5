"use client";

import { useRouter } from "next/navigation";
import styles from "./auth.module.css";

export function SignOutButton() {
  const router = useRouter();
  async function signOut() {
    await fetch("/api/v1/session", { method: "DELETE", credentials: "same-origin" });
    // Every dashboard page needs a session: go where the next one starts.
    router.replace("/sign-in");
    router.refresh();
  }
  return (
    <button type="button" className={styles.linkButton} onClick={signOut}>
      Sign out
    </button>
  );
}
