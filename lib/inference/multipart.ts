// A strict multipart/form-data parser (RFC 7578) for bodies already in memory. It replaces
// `new Response(body).formData()` on the inference path, which cost ~0.4 ms per request (a
// quarter of what the HTTP path may add over an in-process call); anything it cannot parse
// exactly is a 400, never a guess.
import { AppError } from "../../kernel/errors";

export interface MultipartPart {
  name: string;
  /** Present (possibly empty) when the part is a file. */
  filename?: string;
  contentType?: string;
  data: Buffer;
}

const CRLF = Buffer.from("\r\n");
const HEADER_END = Buffer.from("\r\n\r\n");

const malformed = (why: string) =>
  new AppError("invalid_multipart", `The multipart body is malformed: ${why}.`, 400);

/** The boundary of a multipart Content-Type, as sent (it is case-sensitive). */
export function multipartBoundary(contentType: string): string {
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;"]{1,70}))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary) throw malformed("the Content-Type has no boundary");
  return boundary;
}

export function parseMultipart(body: Buffer, contentType: string): MultipartPart[] {
  const delimiter = Buffer.from(`--${multipartBoundary(contentType)}`);
  let position = body.indexOf(delimiter);
  if (position < 0) throw malformed("the boundary never appears");
  const parts: MultipartPart[] = [];
  while (true) {
    position += delimiter.length;
    // "--" after a delimiter closes the body; anything else must be the CRLF starting a part.
    if (body[position] === 0x2d && body[position + 1] === 0x2d) return parts;
    if (!body.subarray(position, position + 2).equals(CRLF))
      throw malformed("a boundary is not followed by a line break");
    position += 2;
    const headersEnd = body.indexOf(HEADER_END, position);
    if (headersEnd < 0) throw malformed("a part's headers never end");
    const headers = parseHeaders(body.subarray(position, headersEnd).toString("latin1"));
    const next = body.indexOf(Buffer.concat([CRLF, delimiter]), headersEnd + 4);
    if (next < 0) throw malformed("a part never ends (no closing boundary)");
    parts.push({ ...headers, data: body.subarray(headersEnd + 4, next) });
    position = next + 2;
    if (parts.length > 100) throw malformed("more than 100 parts");
  }
}

function parseHeaders(text: string): Omit<MultipartPart, "data"> {
  let disposition: string | undefined;
  let contentType: string | undefined;
  for (const line of text.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon <= 0) throw malformed("a part header has no name");
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === "content-disposition") disposition = value;
    else if (name === "content-type") contentType = value;
  }
  if (!disposition || !/^form-data\s*(;|$)/i.test(disposition)) throw malformed("a part is not form-data");
  const name = parameter(disposition, "name");
  if (name === undefined) throw malformed("a part has no name");
  const filename = parameter(disposition, "filename");
  return { name, ...(filename === undefined ? {} : { filename }), ...(contentType ? { contentType } : {}) };
}

/** A Content-Disposition parameter, quoted (with \\" escapes) or bare; undefined when absent. */
function parameter(disposition: string, key: string): string | undefined {
  const match = new RegExp(`;\\s*${key}=(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]*))`, "i").exec(disposition);
  if (!match) return undefined;
  return match[1] !== undefined ? match[1].replace(/\\(.)/g, "$1") : (match[2] ?? "");
}
