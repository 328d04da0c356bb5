-- AlterTable
ALTER TABLE "runs" ADD COLUMN     "heartbeat_at" TIMESTAMPTZ(3);

-- CreateIndex
CREATE UNIQUE INDEX "windows_arm_id_phase_second_key" ON "windows"("arm_id", "phase", "second");
