-- DropForeignKey
ALTER TABLE "fault_events" DROP CONSTRAINT "fault_events_run_id_fkey";

-- DropIndex
DROP INDEX "fault_events_run_id_started_at_idx";

-- AlterTable
ALTER TABLE "fault_events" DROP COLUMN "end_reason",
DROP COLUMN "ended_at",
DROP COLUMN "kind",
DROP COLUMN "layer",
DROP COLUMN "run_id",
DROP COLUMN "started_at",
DROP COLUMN "target",
ADD COLUMN     "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "event" TEXT NOT NULL,
ADD COLUMN     "run_key" TEXT,
DROP COLUMN "fault_id",
ADD COLUMN     "fault_id" UUID;

-- CreateTable
CREATE TABLE "faults" (
    "id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "layer" TEXT NOT NULL,
    "params" JSONB NOT NULL DEFAULT '{}',
    "probability" DOUBLE PRECISION NOT NULL DEFAULT 1,
    "run_key" TEXT,
    "scope_all" BOOLEAN NOT NULL DEFAULT false,
    "model" TEXT,
    "seed" TEXT,
    "actor" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "ended_at" TIMESTAMPTZ(3),
    "end_reason" TEXT,

    CONSTRAINT "faults_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "chaos_state" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "halted" BOOLEAN NOT NULL DEFAULT false,
    "changed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "changed_by" TEXT,

    CONSTRAINT "chaos_state_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "faults_ended_at_expires_at_idx" ON "faults"("ended_at", "expires_at");

-- CreateIndex
CREATE INDEX "faults_run_key_created_at_idx" ON "faults"("run_key", "created_at");

-- CreateIndex
CREATE INDEX "fault_events_fault_id_idx" ON "fault_events"("fault_id");

-- CreateIndex
CREATE INDEX "fault_events_at_idx" ON "fault_events"("at" DESC);

-- AddForeignKey
ALTER TABLE "fault_events" ADD CONSTRAINT "fault_events_fault_id_fkey" FOREIGN KEY ("fault_id") REFERENCES "faults"("id") ON DELETE CASCADE ON UPDATE CASCADE;
