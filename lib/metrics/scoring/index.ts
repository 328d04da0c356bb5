// Scoring: the metrics (exact match, CER, line F1, VQA accuracy, retrieval, multiple choice) and
// the one per-task scorer, scoreItem, that drills and `npm run eval` both judge answers with.
export { characterErrorRate, codePointLength, corpusCer, editDistance, type TextPair } from "./cer";
export { exactMatch, exactMatchLoose } from "./exact-match";
export { type LineCriterion, type LineScore, lineScore } from "./lines";
export { chosenIndex, multipleChoiceCorrect } from "./multiple-choice";
export { hitAtK, recallAtK } from "./recall-at-k";
export {
  CORRECT_WHEN,
  cerTexts,
  type ItemScore,
  type ScorableItem,
  ScoringTask,
  scoreFailedRequest,
  scoreItem,
} from "./score-item";
export { normaliseVqaAnswer, vqaAccuracy, vqaAccuracySimple, vqaMatches } from "./vqa";
