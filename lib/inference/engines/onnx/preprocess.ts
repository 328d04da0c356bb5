// Image → input tensor for the generic ONNX engine, as its manifest describes: resize (sharp),
// channel order, per-channel normalisation, NCHW or NHWC, right padding for keep-aspect inputs.
import sharp from "sharp";
import type { RawImage } from "../../types";
import type { OnnxInput } from "./params";

export interface InputTensor {
  data: Float32Array;
  dims: number[];
}

export async function toInputTensor(image: RawImage, input: OnnxInput): Promise<InputTensor> {
  const height = input.height;
  const resizedWidth =
    input.resize === "stretch"
      ? input.width
      : Math.max(
          1,
          Math.min(
            input.maxWidth ?? Number.MAX_SAFE_INTEGER,
            Math.round((image.width * height) / image.height),
          ),
        );
  const tensorWidth = input.resize === "stretch" ? input.width : Math.max(input.width, resizedWidth);
  const pixels = await sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength), {
    raw: { width: image.width, height: image.height, channels: 3 },
  })
    .resize(resizedWidth, height, { fit: "fill" })
    .raw()
    .toBuffer();
  const order = input.channels === "RGB" ? [0, 1, 2] : [2, 1, 0];
  const [mean, std] = [input.mean as number[], input.std as number[]];
  const data = new Float32Array(3 * height * tensorWidth);
  const planeSize = height * tensorWidth;
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < resizedWidth; x += 1) {
      const source = (y * resizedWidth + x) * 3;
      for (let c = 0; c < 3; c += 1) {
        const value =
          ((pixels[source + (order[c] as number)] as number) * input.scale - (mean[c] as number)) /
          (std[c] as number);
        const index =
          input.layout === "NCHW" ? c * planeSize + y * tensorWidth + x : (y * tensorWidth + x) * 3 + c;
        data[index] = value;
      }
    }
  }
  return {
    data,
    dims: input.layout === "NCHW" ? [1, 3, height, tensorWidth] : [1, height, tensorWidth, 3],
  };
}
