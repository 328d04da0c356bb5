-- AlterTable
ALTER TABLE "runs" ADD COLUMN     "abort_requested_at" TIMESTAMPTZ(3),
ADD COLUMN     "progress" JSONB;

-- AlterTable
ALTER TABLE "windows" ADD COLUMN     "overflow" INTEGER NOT NULL DEFAULT 0;
