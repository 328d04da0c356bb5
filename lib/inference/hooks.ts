// The seams the inference path offers to whatever wraps it (the chaos layer's RequestChaos):
// the stages where a request may be delayed, failed, corrupted or slowed. The inference code
// knows nothing about faults; it calls these at the right moments.
import type { ModelFaults } from "./model-server";
import type { RawImage } from "./types";

export interface InferenceHooks {
  /** Once the model is known, before the image is decoded. May wait or throw. */
  beforeModel(model: string): Promise<void>;
  /** The decoded image and prompt, possibly altered. */
  corruptInput(
    image: RawImage,
    prompt: string | undefined,
  ): Promise<{ image: RawImage; prompt: string | undefined }>;
  modelFaults(): ModelFaults | undefined;
  corruptAnswer(answer: string): string;
}

export const NO_HOOKS: InferenceHooks = {
  beforeModel: async () => {},
  corruptInput: async (image, prompt) => ({ image, prompt }),
  modelFaults: () => undefined,
  corruptAnswer: (answer) => answer,
};
