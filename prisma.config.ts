// Prisma CLI configuration. Only `prisma generate` is run through the CLI (offline); migrations go
// through lib/db/migrations (Prisma's schema engine as WebAssembly), which needs no download.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
