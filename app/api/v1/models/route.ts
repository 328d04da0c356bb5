import { withErrors } from "@/lib/http";
import { listCatalog } from "@/lib/models/catalog";

export const dynamic = "force-dynamic";

export const GET = withErrors(async () => Response.json({ models: await listCatalog() }));
