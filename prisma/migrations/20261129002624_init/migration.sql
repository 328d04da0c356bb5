-- CreateEnum
CREATE TYPE "model_role" AS ENUM ('candidate', 'baseline', 'fallback');

-- CreateEnum
CREATE TYPE "run_status" AS ENUM ('queued', 'running', 'passed', 'failed', 'aborted', 'errored');

-- CreateEnum
CREATE TYPE "run_trigger" AS ENUM ('manual', 'schedule', 'cli');

-- CreateEnum
CREATE TYPE "overlap_policy" AS ENUM ('skip', 'queue');

-- CreateEnum
CREATE TYPE "token_role" AS ENUM ('viewer', 'operator', 'admin');

-- CreateTable
CREATE TABLE "model_versions" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "family" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "task" TEXT NOT NULL,
    "role" "model_role" NOT NULL DEFAULT 'baseline',
    "engine" TEXT NOT NULL,
    "artifact" TEXT,
    "sha256" CHAR(64),
    "size_bytes" BIGINT,
    "params" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "model_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "datasets" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "task" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "location" TEXT NOT NULL,
    "item_count" INTEGER NOT NULL,
    "sha256" CHAR(64) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "datasets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "experiments" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "current_version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "experiments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "experiment_versions" (
    "id" UUID NOT NULL,
    "experiment_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "spec" JSONB NOT NULL,
    "spec_sha256" CHAR(64) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "experiment_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "runs" (
    "id" UUID NOT NULL,
    "experiment_id" UUID NOT NULL,
    "experiment_version_id" UUID NOT NULL,
    "schedule_id" UUID,
    "status" "run_status" NOT NULL DEFAULT 'queued',
    "trigger" "run_trigger" NOT NULL,
    "seed" BIGINT NOT NULL,
    "fingerprint" JSONB NOT NULL DEFAULT '{}',
    "summary" JSONB,
    "verdict" JSONB,
    "latency_invalid" BOOLEAN NOT NULL DEFAULT false,
    "error" TEXT,
    "worker_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "ended_at" TIMESTAMPTZ(3),

    CONSTRAINT "runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "run_arms" (
    "id" UUID NOT NULL,
    "run_id" UUID NOT NULL,
    "model_version_id" UUID,
    "label" TEXT NOT NULL,
    "is_candidate" BOOLEAN NOT NULL DEFAULT false,
    "summary" JSONB,

    CONSTRAINT "run_arms_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "windows" (
    "id" BIGSERIAL NOT NULL,
    "arm_id" UUID NOT NULL,
    "phase" TEXT NOT NULL,
    "second" INTEGER NOT NULL,
    "ok" INTEGER NOT NULL DEFAULT 0,
    "http_4xx" INTEGER NOT NULL DEFAULT 0,
    "http_5xx" INTEGER NOT NULL DEFAULT 0,
    "rejected_429" INTEGER NOT NULL DEFAULT 0,
    "timeout" INTEGER NOT NULL DEFAULT 0,
    "connection_error" INTEGER NOT NULL DEFAULT 0,
    "correct" INTEGER NOT NULL DEFAULT 0,
    "scored" INTEGER NOT NULL DEFAULT 0,
    "latency_histogram" BYTEA NOT NULL,
    "service_histogram" BYTEA NOT NULL,
    "max_send_lag_ms" DOUBLE PRECISION NOT NULL DEFAULT 0,

    CONSTRAINT "windows_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "fault_events" (
    "id" UUID NOT NULL,
    "run_id" UUID,
    "fault_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "layer" TEXT NOT NULL,
    "params" JSONB NOT NULL DEFAULT '{}',
    "target" TEXT,
    "actor" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ended_at" TIMESTAMPTZ(3),
    "end_reason" TEXT,

    CONSTRAINT "fault_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "schedules" (
    "id" UUID NOT NULL,
    "experiment_id" UUID NOT NULL,
    "cron" TEXT NOT NULL,
    "timezone" TEXT NOT NULL DEFAULT 'UTC',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "overlap_policy" "overlap_policy" NOT NULL DEFAULT 'skip',
    "next_run_at" TIMESTAMPTZ(3),
    "last_run_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "schedules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_events" (
    "id" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target" TEXT,
    "run_id" UUID,
    "details" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_tokens" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "role" "token_role" NOT NULL,
    "prefix" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "model_versions_name_key" ON "model_versions"("name");

-- CreateIndex
CREATE INDEX "model_versions_family_task_idx" ON "model_versions"("family", "task");

-- CreateIndex
CREATE UNIQUE INDEX "datasets_name_key" ON "datasets"("name");

-- CreateIndex
CREATE UNIQUE INDEX "experiments_name_key" ON "experiments"("name");

-- CreateIndex
CREATE UNIQUE INDEX "experiment_versions_experiment_id_version_key" ON "experiment_versions"("experiment_id", "version");

-- CreateIndex
CREATE INDEX "runs_experiment_id_created_at_idx" ON "runs"("experiment_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "runs_created_at_idx" ON "runs"("created_at" DESC);

-- CreateIndex
CREATE INDEX "runs_status_idx" ON "runs"("status");

-- CreateIndex
CREATE UNIQUE INDEX "run_arms_run_id_label_key" ON "run_arms"("run_id", "label");

-- CreateIndex
CREATE INDEX "windows_arm_id_second_idx" ON "windows"("arm_id", "second");

-- CreateIndex
CREATE INDEX "fault_events_run_id_started_at_idx" ON "fault_events"("run_id", "started_at");

-- CreateIndex
CREATE INDEX "fault_events_fault_id_idx" ON "fault_events"("fault_id");

-- CreateIndex
CREATE INDEX "schedules_experiment_id_idx" ON "schedules"("experiment_id");

-- CreateIndex
CREATE INDEX "audit_events_at_idx" ON "audit_events"("at" DESC);

-- CreateIndex
CREATE INDEX "audit_events_run_id_idx" ON "audit_events"("run_id");

-- CreateIndex
CREATE UNIQUE INDEX "api_tokens_token_hash_key" ON "api_tokens"("token_hash");

-- AddForeignKey
ALTER TABLE "experiment_versions" ADD CONSTRAINT "experiment_versions_experiment_id_fkey" FOREIGN KEY ("experiment_id") REFERENCES "experiments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "runs" ADD CONSTRAINT "runs_experiment_id_fkey" FOREIGN KEY ("experiment_id") REFERENCES "experiments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "runs" ADD CONSTRAINT "runs_experiment_version_id_fkey" FOREIGN KEY ("experiment_version_id") REFERENCES "experiment_versions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "runs" ADD CONSTRAINT "runs_schedule_id_fkey" FOREIGN KEY ("schedule_id") REFERENCES "schedules"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "run_arms" ADD CONSTRAINT "run_arms_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "run_arms" ADD CONSTRAINT "run_arms_model_version_id_fkey" FOREIGN KEY ("model_version_id") REFERENCES "model_versions"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "windows" ADD CONSTRAINT "windows_arm_id_fkey" FOREIGN KEY ("arm_id") REFERENCES "run_arms"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "fault_events" ADD CONSTRAINT "fault_events_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "schedules" ADD CONSTRAINT "schedules_experiment_id_fkey" FOREIGN KEY ("experiment_id") REFERENCES "experiments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE SET NULL ON UPDATE CASCADE;
