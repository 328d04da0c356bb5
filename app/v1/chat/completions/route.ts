import { chatHandler } from "@/lib/server/data-plane";

export const dynamic = "force-dynamic";

// Served by lib/server/data-plane.ts in the launcher's web process; see the infer route.
export const POST = chatHandler;
