-- CreateTable
CREATE TABLE "eval_runs" (
    "id" UUID NOT NULL,
    "dataset" TEXT NOT NULL,
    "dataset_sha256" CHAR(64) NOT NULL,
    "corruptions" JSONB NOT NULL DEFAULT '[]',
    "severities" JSONB NOT NULL DEFAULT '[]',
    "seed" BIGINT NOT NULL,
    "item_count" INTEGER NOT NULL,
    "baseline" TEXT,
    "summary" JSONB,
    "status" TEXT NOT NULL DEFAULT 'running',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "eval_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "eval_results" (
    "id" UUID NOT NULL,
    "eval_run_id" UUID NOT NULL,
    "model_name" TEXT NOT NULL,
    "model_version_id" UUID,
    "corruption" TEXT NOT NULL,
    "severity" INTEGER NOT NULL,
    "items" INTEGER NOT NULL,
    "errors" INTEGER NOT NULL DEFAULT 0,
    "correct" INTEGER NOT NULL,
    "correct_loose" INTEGER NOT NULL,
    "accuracy" DOUBLE PRECISION NOT NULL,
    "accuracy_loose" DOUBLE PRECISION NOT NULL,
    "cer" DOUBLE PRECISION NOT NULL,
    "metrics" JSONB NOT NULL DEFAULT '{}',
    "p50_ms" DOUBLE PRECISION NOT NULL,
    "p99_ms" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "eval_results_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "eval_runs_dataset_created_at_idx" ON "eval_runs"("dataset", "created_at" DESC);

-- CreateIndex
CREATE INDEX "eval_results_model_name_corruption_severity_idx" ON "eval_results"("model_name", "corruption", "severity");

-- CreateIndex
CREATE INDEX "eval_results_eval_run_id_idx" ON "eval_results"("eval_run_id");

-- AddForeignKey
ALTER TABLE "eval_results" ADD CONSTRAINT "eval_results_eval_run_id_fkey" FOREIGN KEY ("eval_run_id") REFERENCES "eval_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "eval_results" ADD CONSTRAINT "eval_results_model_version_id_fkey" FOREIGN KEY ("model_version_id") REFERENCES "model_versions"("id") ON DELETE SET NULL ON UPDATE CASCADE;
