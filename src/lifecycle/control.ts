import { formatMonth } from '../calendar.js';
import { hashString } from '../random.js';

/** murmur3's finaliser: spreads FNV-1a's weakly mixed high bits, so the draw is uniform. */
function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The control-group draw in [0, 1) for one subscriber and billing month. It depends only on
 * (seed, month, subscriber id), never on row order or on which other subscribers are present, so
 * scoring in shards draws exactly the control group one process would.
 */
export function controlDraw(seed: number, month: number, subscriberId: string): number {
  return mix32(hashString(`${seed}:${formatMonth(month)}:${subscriberId}`)) / 4294967296;
}
