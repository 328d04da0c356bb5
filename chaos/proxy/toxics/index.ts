// The toxic types the API accepts, by name (`down` is not one: it is `enabled:false` on the proxy).
import { TOXIC_TYPES, type ToxicType } from "../types";
import { bandwidthToxic } from "./bandwidth";
import type { ToxicDefinition } from "./definition";
import { latencyToxic } from "./latency";
import { limitDataToxic } from "./limit-data";
import { noopToxic } from "./noop";
import { resetPeerToxic } from "./reset-peer";
import { slicerToxic } from "./slicer";
import { slowCloseToxic } from "./slow-close";
import { timeoutToxic } from "./timeout";

export const TOXICS: Readonly<Record<ToxicType, ToxicDefinition>> = {
  latency: latencyToxic,
  bandwidth: bandwidthToxic,
  slow_close: slowCloseToxic,
  timeout: timeoutToxic,
  reset_peer: resetPeerToxic,
  slicer: slicerToxic,
  limit_data: limitDataToxic,
  noop: noopToxic,
};

export function isToxicType(type: string): type is ToxicType {
  return (TOXIC_TYPES as readonly string[]).includes(type);
}
