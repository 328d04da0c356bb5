import { inferHandler } from "@/lib/server/data-plane";

export const dynamic = "force-dynamic";

// The launcher's web process answers this route before Next.js does (lib/server/data-plane.ts);
// this file serves the same handler under plain `next dev` / `next start`.
export async function POST(request: Request, context: { params: Promise<{ name: string }> }) {
  const { name } = await context.params;
  return inferHandler(name)(request);
}
