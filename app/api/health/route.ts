// Liveness: the process is up and serving. Never touches the database.
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

const startedAt = new Date();

export const GET = route({}, async () => ({
  status: "ok",
  startedAt: startedAt.toISOString(),
  uptimeSeconds: Math.round(process.uptime()),
}));
