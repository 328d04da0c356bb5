// Liveness: the process is up and serving. Never touches the database.
export const dynamic = "force-dynamic";

const startedAt = new Date();

export function GET() {
  return Response.json({
    status: "ok",
    startedAt: startedAt.toISOString(),
    uptimeSeconds: Math.round(process.uptime()),
  });
}
