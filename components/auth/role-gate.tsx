// Controls that need a role the viewer lacks are replaced by a sentence saying so, instead of a
// button that answers 403. The API still checks every request; this only keeps the page honest.
import type { ReactNode } from "react";
import { missingRole } from "@/lib/auth/page-principal";
import type { Role } from "@/lib/auth/roles";

interface RoleGateProps {
  need: Role;
  /** What the hidden controls do, for the sentence: "Editing schedules". */
  what: string;
  /** A compact fallback (in a table cell, say) instead of the sentence. */
  fallback?: ReactNode;
  children: ReactNode;
}

export async function RoleGate({ need, what, fallback, children }: RoleGateProps) {
  const missing = await missingRole(need, what);
  if (missing === null) return <>{children}</>;
  if (fallback !== undefined) return <>{fallback}</>;
  return (
    <p className="muted small" data-testid="role-gate">
      {missing}
    </p>
  );
}
