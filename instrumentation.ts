// Next.js calls register() once when the server starts: load the models now, so the first
// request meets warm sessions instead of paying for their creation.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getModelServer } = await import("./lib/inference/runtime");
  await getModelServer();
}
