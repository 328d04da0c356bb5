-- CreateTable
CREATE TABLE "item_results" (
    "id" BIGSERIAL NOT NULL,
    "run_id" UUID NOT NULL,
    "arm_id" UUID NOT NULL,
    "arrival" INTEGER NOT NULL,
    "item_key" TEXT NOT NULL,
    "phase" TEXT NOT NULL,
    "second" INTEGER NOT NULL,
    "outcome" TEXT NOT NULL,
    "latency_ms" DOUBLE PRECISION,
    "answer" TEXT,
    "correct" BOOLEAN,
    "served_by" TEXT,
    "error" TEXT,

    CONSTRAINT "item_results_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "item_results_run_id_item_key_idx" ON "item_results"("run_id", "item_key");

-- CreateIndex
CREATE UNIQUE INDEX "item_results_arm_id_arrival_key" ON "item_results"("arm_id", "arrival");

-- AddForeignKey
ALTER TABLE "item_results" ADD CONSTRAINT "item_results_arm_id_fkey" FOREIGN KEY ("arm_id") REFERENCES "run_arms"("id") ON DELETE CASCADE ON UPDATE CASCADE;
