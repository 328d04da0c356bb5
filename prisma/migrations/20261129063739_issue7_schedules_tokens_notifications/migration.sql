-- CreateEnum
CREATE TYPE "webhook_format" AS ENUM ('json', 'slack');

-- CreateEnum
CREATE TYPE "firing_outcome" AS ENUM ('queued', 'skipped', 'failed');

-- CreateEnum
CREATE TYPE "delivery_status" AS ENUM ('pending', 'delivered', 'failed');

-- AlterTable
ALTER TABLE "api_tokens" ADD COLUMN     "created_by" TEXT;

-- AlterTable
ALTER TABLE "schedules" ADD COLUMN     "webhook_format" "webhook_format" NOT NULL DEFAULT 'json',
ADD COLUMN     "webhook_url" TEXT;

-- CreateTable
CREATE TABLE "schedule_firings" (
    "id" UUID NOT NULL,
    "schedule_id" UUID NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "fired_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "outcome" "firing_outcome" NOT NULL,
    "run_id" UUID,
    "reason" TEXT,

    CONSTRAINT "schedule_firings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notification_deliveries" (
    "id" UUID NOT NULL,
    "run_id" UUID NOT NULL,
    "schedule_id" UUID,
    "event" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "format" "webhook_format" NOT NULL,
    "attempt" INTEGER NOT NULL,
    "status" "delivery_status" NOT NULL,
    "response_status" INTEGER,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "notification_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sessions" (
    "id" UUID NOT NULL,
    "secret_hash" TEXT NOT NULL,
    "role" "token_role" NOT NULL,
    "token_id" UUID,
    "actor" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "schedule_firings_schedule_id_fired_at_idx" ON "schedule_firings"("schedule_id", "fired_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "schedule_firings_schedule_id_due_at_key" ON "schedule_firings"("schedule_id", "due_at");

-- CreateIndex
CREATE INDEX "notification_deliveries_run_id_idx" ON "notification_deliveries"("run_id");

-- CreateIndex
CREATE INDEX "notification_deliveries_created_at_idx" ON "notification_deliveries"("created_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "sessions_secret_hash_key" ON "sessions"("secret_hash");

-- CreateIndex
CREATE INDEX "sessions_token_id_idx" ON "sessions"("token_id");

-- CreateIndex
CREATE INDEX "api_tokens_prefix_idx" ON "api_tokens"("prefix");

-- AddForeignKey
ALTER TABLE "schedule_firings" ADD CONSTRAINT "schedule_firings_schedule_id_fkey" FOREIGN KEY ("schedule_id") REFERENCES "schedules"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_token_id_fkey" FOREIGN KEY ("token_id") REFERENCES "api_tokens"("id") ON DELETE CASCADE ON UPDATE CASCADE;
