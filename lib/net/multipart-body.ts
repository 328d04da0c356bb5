// A multipart/form-data request body encoded once (by the Fetch API's own FormData encoder), for
// load generators and benchmarks that send the same body many times.

/** A multipart/form-data body with one file field (and optional text fields), encoded once. */
export async function encodeMultipart(
  file: { field: string; bytes: Uint8Array; type: string; filename?: string },
  fields: Record<string, string> = {},
): Promise<{ body: Buffer; contentType: string }> {
  const form = new FormData();
  form.append(
    file.field,
    new Blob([new Uint8Array(file.bytes)], { type: file.type }),
    file.filename ?? "upload",
  );
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  const encoded = new Response(form);
  return {
    body: Buffer.from(await encoded.arrayBuffer()),
    contentType: encoded.headers.get("content-type") as string,
  };
}
