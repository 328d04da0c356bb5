"use client";

import { type FormEvent, useState } from "react";

interface PlaygroundAnswer {
  model: string;
  answer: string;
  confidence: number;
  servedBy: string;
  degraded: boolean;
  degradedReason?: string;
  lines?: Array<{ text: string; confidence: number }>;
  timings: { queueMs: number; decodeMs: number; inferMs: number; totalMs: number };
}

type State =
  | { kind: "idle" }
  | { kind: "running" }
  | { kind: "answered"; answer: PlaygroundAnswer }
  | { kind: "failed"; code: string; message: string };

/** Try a model on an image of your own: the same HTTP API the drills use. */
export function ModelPlayground({ models }: { models: Array<{ name: string; task: string }> }) {
  const [state, setState] = useState<State>({ kind: "idle" });
  const [preview, setPreview] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const model = String(form.get("model"));
    const body = new FormData();
    body.append("image", form.get("image") as Blob);
    const prompt = String(form.get("prompt") ?? "").trim();
    if (prompt) body.append("prompt", prompt);
    setState({ kind: "running" });
    try {
      const response = await fetch(`/api/v1/models/${encodeURIComponent(model)}/infer`, {
        method: "POST",
        body,
      });
      const json = await response.json();
      if (!response.ok)
        setState({ kind: "failed", code: json.error?.code ?? "error", message: json.error?.message ?? "" });
      else setState({ kind: "answered", answer: json as PlaygroundAnswer });
    } catch (error) {
      setState({ kind: "failed", code: "network_error", message: String(error) });
    }
  }

  if (models.length === 0) return null;
  return (
    <section className="panel" aria-label="Playground">
      <h2 className="section-title">Playground</h2>
      <form className="playground-form" onSubmit={submit}>
        <label>
          Model
          <select name="model" defaultValue={models[0]?.name}>
            {models.map((model) => (
              <option key={model.name} value={model.name}>
                {model.name} ({model.task})
              </option>
            ))}
          </select>
        </label>
        <label>
          Image
          <input
            type="file"
            name="image"
            accept="image/png,image/jpeg,image/webp,image/gif,image/tiff,image/avif"
            required
            onChange={(event) => {
              const file = event.currentTarget.files?.[0];
              setPreview(file ? URL.createObjectURL(file) : null);
            }}
          />
        </label>
        <label>
          Prompt (optional)
          <input type="text" name="prompt" maxLength={4096} placeholder="What does it say?" />
        </label>
        <button type="submit" className="button" disabled={state.kind === "running"}>
          {state.kind === "running" ? "Running…" : "Run"}
        </button>
      </form>
      {/* biome-ignore lint/performance/noImgElement: a local blob: preview, nothing for next/image to optimise. */}
      {preview ? <img className="playground-preview" src={preview} alt="Your upload" /> : null}
      <PlaygroundResult state={state} />
    </section>
  );
}

function PlaygroundResult({ state }: { state: State }) {
  if (state.kind === "failed") {
    return (
      <p role="alert" className="playground-error">
        <code>{state.code}</code> {state.message}
      </p>
    );
  }
  if (state.kind !== "answered") return null;
  const { answer } = state;
  return (
    <section className="playground-result" aria-label="Answer">
      <pre className="answer">{answer.answer || "(no text found)"}</pre>
      <p className="muted">
        {answer.degraded ? (
          <>
            <strong>Degraded</strong>: answered by {answer.servedBy} ({answer.degradedReason}) ·{" "}
          </>
        ) : (
          <>Answered by {answer.servedBy} · </>
        )}
        confidence {(answer.confidence * 100).toFixed(1)}% · total {answer.timings.totalMs.toFixed(1)} ms
        (decode {answer.timings.decodeMs.toFixed(1)}, queue {answer.timings.queueMs.toFixed(1)}, model{" "}
        {answer.timings.inferMs.toFixed(1)})
      </p>
    </section>
  );
}
