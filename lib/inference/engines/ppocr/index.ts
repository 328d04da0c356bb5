// PaddleOCR PP-OCRv4 engines on ONNX Runtime: line recognition and full-document reading.
export { createPpocrDocumentEngine, type PpocrDocumentEngineOptions } from "./document-engine";
export { createPpocrRecEngine, type PpocrRecEngineOptions } from "./rec-engine";
