-- AlterEnum
ALTER TYPE "run_status" ADD VALUE 'invalid';

-- AlterTable
ALTER TABLE "runs" ADD COLUMN     "residual" JSONB;

-- AlterTable
ALTER TABLE "windows" ADD COLUMN     "degraded" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "failed_latency_histogram" BYTEA;
