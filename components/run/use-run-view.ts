"use client";

import { usePathname, useRouter } from "next/navigation";
import { useOptimistic, useTransition } from "react";
import { type RunView, runViewSearch } from "@/lib/dashboard/run-page/view";

/**
 * The run page's view lives in the URL: a change replaces the search params (no scroll jump) and
 * the server renders the new view; the controls show the change at once (optimistically).
 */
export function useRunView(view: RunView) {
  const router = useRouter();
  const pathname = usePathname();
  const [pending, startTransition] = useTransition();
  const [shown, setShown] = useOptimistic(view);
  const setView = (change: Partial<RunView>) => {
    const next = { ...shown, ...change };
    startTransition(() => {
      setShown(next);
      router.replace(`${pathname}${runViewSearch(next)}`, { scroll: false });
    });
  };
  return { view: shown, setView, pending };
}
