// What the spec editor's live validation (POST /api/v1/experiments/validate) and the YAML save
// (POST /api/v1/experiments) share: reading a spec body of bounded size in YAML or JSON, and the
// validation answer, each issue located at its line and column (lib/experiments/load-spec.ts).
import { AppError } from "../../../kernel/errors";
import { parseSpecText, type SpecFormat } from "../../experiments/load-spec";
import type { ExperimentSpec } from "../../experiments/spec";
import { readBodyText } from "../../http";

/** Specs are a few KiB; this bounds what one request can make the server parse. */
export const MAX_SPEC_BODY_BYTES = 256 * 1024;

export interface ValidationIssue {
  /** `phases[2].faults[0].latencyMs`; "" for the spec as a whole or a syntax error. */
  path: string;
  message: string;
  /** 1-based; null when the position is unknown. */
  line: number | null;
  column: number | null;
}

export interface ValidationAnswer {
  valid: boolean;
  issues: ValidationIssue[];
  /** The parsed spec (defaults filled in) when valid: what a save of this text stores. */
  spec?: ExperimentSpec;
}

export interface SpecBody {
  text: string;
  format: SpecFormat;
}

const YAML_TYPES = new Set([
  "application/yaml",
  "application/x-yaml",
  "text/yaml",
  "text/x-yaml",
  "text/plain",
]);

/**
 * YAML for the YAML types and text/plain (what a browser sends a string as; JSON is YAML too),
 * JSON for anything else: the API took JSON whatever the content type before YAML was accepted.
 */
export function specFormatOf(contentType: string | null): SpecFormat {
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  return YAML_TYPES.has(type) ? "yaml" : "json";
}

/** Reads the request body as UTF-8 text, refusing more than `maxBytes` without reading it all. */
export function readBoundedText(request: Request, maxBytes = MAX_SPEC_BODY_BYTES): Promise<string> {
  return readBodyText(request, { maxBytes, fatal: true });
}

/** The spec text of a request and its format (from the content type). */
export async function readSpecBody(request: Request): Promise<SpecBody> {
  const format = specFormatOf(request.headers.get("content-type"));
  return { text: await readBoundedText(request), format };
}

/** Validates spec text: every issue with its path, message, line and column; the spec when valid. */
export function validateSpecText(text: string, format: SpecFormat): ValidationAnswer {
  try {
    return { valid: true, issues: [], spec: parseSpecText(text, format, "spec") };
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== "invalid_spec") throw error;
    const issues = ((error.details as { issues?: unknown[] } | undefined)?.issues ?? []) as Array<{
      path?: string;
      message?: string;
      line?: number;
      column?: number;
    }>;
    if (issues.length === 0) {
      return { valid: false, issues: [{ path: "", message: error.message, line: null, column: null }] };
    }
    return {
      valid: false,
      issues: issues.map((issue) => ({
        path: issue.path ?? "",
        message: issue.message ?? "is not valid",
        line: issue.line ?? null,
        column: issue.column ?? null,
      })),
    };
  }
}
