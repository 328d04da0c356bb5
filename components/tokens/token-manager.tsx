"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { callApi } from "@/components/api/api-call";
import { ApiFailure } from "@/components/api/api-failure";
import { type Column, DataTable } from "@/components/data-table";
import { EmptyState } from "@/components/empty-state";
import { ConfirmDialog } from "@/components/overview/confirm-dialog";
import type { ApiTokenView } from "@/lib/auth/tokens";
import { formatTimestamp } from "@/lib/format";
import styles from "./tokens.module.css";

type Failure = { status: number; code: string; message: string } | null;

/** The admin's token list: create (the token is shown once, with a copy button), revoke after a confirmation. */
export function TokenManager({ tokens }: { tokens: ApiTokenView[] }) {
  const router = useRouter();
  const [created, setCreated] = useState<{ token: string; apiToken: ApiTokenView } | null>(null);
  const [failure, setFailure] = useState<Failure>(null);
  const [busy, setBusy] = useState(false);
  const [revoking, setRevoking] = useState<ApiTokenView | null>(null);

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    setBusy(true);
    setFailure(null);
    const result = await callApi<{ token: string; apiToken: ApiTokenView }>("/api/v1/tokens", {
      body: JSON.stringify({ name: String(data.get("name") ?? ""), role: String(data.get("role") ?? "") }),
    });
    setBusy(false);
    if (!result.ok) return setFailure(result);
    setCreated(result.data);
    form.reset();
    router.refresh();
  }

  async function revoke() {
    if (!revoking) return;
    setBusy(true);
    setFailure(null);
    const result = await callApi(`/api/v1/tokens/${encodeURIComponent(revoking.id)}`, { method: "DELETE" });
    setBusy(false);
    setRevoking(null);
    if (!result.ok) return setFailure(result);
    router.refresh();
  }

  const columns: Column<ApiTokenView>[] = [
    { header: "Name", cell: (token) => token.name },
    { header: "Role", cell: (token) => token.role },
    { header: "Prefix", cell: (token) => <code>{token.prefix}</code> },
    {
      header: "Created",
      cell: (token) => `${formatTimestamp(token.createdAt)} by ${token.createdBy ?? "—"}`,
    },
    {
      header: "Last used",
      cell: (token) => (token.lastUsedAt ? formatTimestamp(token.lastUsedAt) : "never"),
    },
    {
      header: "Status",
      cell: (token) =>
        token.revokedAt ? (
          <span className={styles.revoked}>revoked {formatTimestamp(token.revokedAt)}</span>
        ) : (
          <button
            type="button"
            className={`button ${styles.danger}`}
            onClick={() => setRevoking(token)}
            aria-label={`Revoke ${token.name}`}
          >
            Revoke
          </button>
        ),
    },
  ];

  return (
    <>
      <form className={styles.form} onSubmit={create} aria-label="Create a token">
        <label className={styles.field}>
          Name
          <input
            name="name"
            required
            maxLength={100}
            placeholder="ci-nightly"
            className={styles.input}
            autoComplete="off"
          />
        </label>
        <label className={styles.field}>
          Role
          <select name="role" defaultValue="viewer" className={styles.input}>
            <option value="viewer">viewer: read</option>
            <option value="operator">operator: launch, abort, faults, halt</option>
            <option value="admin">admin: tokens, schedules, everything</option>
          </select>
        </label>
        <button type="submit" className="button" disabled={busy}>
          {busy ? "Working…" : "Create token"}
        </button>
      </form>
      <ApiFailure failure={failure} />
      {created ? (
        <section className={styles.created} aria-label="New token">
          <p>
            Token <strong>{created.apiToken.name}</strong> ({created.apiToken.role}) is ready. Copy it now: it
            is not shown again.
          </p>
          <div className={styles.secret}>
            <code data-testid="new-token">{created.token}</code>
            <CopyButton text={created.token} />
            <button type="button" className="button" onClick={() => setCreated(null)}>
              Done
            </button>
          </div>
        </section>
      ) : null}
      <section aria-label="Tokens">
        <DataTable
          rows={tokens}
          columns={columns}
          rowKey={(token) => token.id}
          empty={
            <EmptyState title="No API tokens yet">
              <p>
                Only the admin token printed at first start exists. Create a viewer token for dashboards and
                scripts that only read, an operator token for CI drills.
              </p>
            </EmptyState>
          }
        />
      </section>
      <ConfirmDialog
        open={revoking !== null}
        title={`Revoke ${revoking?.name ?? "token"}?`}
        confirmLabel="Revoke"
        busy={busy}
        onConfirm={revoke}
        onCancel={() => setRevoking(null)}
      >
        <p>
          Clients using <code>{revoking?.prefix}</code> get 401 within seconds, and browsers signed in with it
          are signed out. This cannot be undone.
        </p>
      </ConfirmDialog>
    </>
  );
}

function CopyButton({ text }: { text: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  return (
    <button
      type="button"
      className="button"
      onClick={async () => {
        try {
          // Undefined outside a secure context (plain HTTP on another host than localhost).
          await navigator.clipboard.writeText(text);
          setState("copied");
        } catch {
          setState("failed");
        }
      }}
    >
      {state === "copied" ? "Copied" : state === "failed" ? "Copy failed: select it" : "Copy"}
    </button>
  );
}
