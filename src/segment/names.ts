/**
 * Readable segment names from profiles: the 2-3 most distinctive features, each in the operator's
 * words for "above" or "below" the population, e.g. "heavy data, light voice, high value".
 */
import type { DistinctiveFeature } from './model.js';

/** Words for a segment above / below the population on a feature. */
export const FEATURE_WORDS: Readonly<Record<string, readonly [high: string, low: string]>> = {
  voice_out_minutes: ['heavy voice', 'light voice'],
  voice_in_minutes: ['heavy incoming voice', 'light incoming voice'],
  voice_out_calls: ['frequent caller', 'rare caller'],
  voice_in_calls: ['often called', 'rarely called'],
  sms_out: ['heavy SMS', 'light SMS'],
  sms_in: ['many SMS received', 'few SMS received'],
  data_mb: ['heavy data', 'light data'],
  data_sessions: ['frequent data sessions', 'rare data sessions'],
  arpu: ['high value', 'low value'],
  billed_amount: ['high bill', 'low bill'],
  distinct_contacts: ['wide circle', 'narrow circle'],
  active_days: ['daily user', 'occasional user'],
  night_share: ['night', 'daytime'],
  weekend_share: ['weekend', 'weekday'],
  tenure_months: ['long-tenure', 'new'],
};

/** A feature counts as distinctive for naming from this |z| on. */
export const NAME_MIN_Z = 0.3;
const NAME_WORDS = 3;

export function featureWord(feature: string, z: number): string {
  const words = FEATURE_WORDS[feature];
  if (words !== undefined) return z >= 0 ? words[0] : words[1];
  return `${z >= 0 ? 'high' : 'low'} ${feature}`;
}

function nameOf(ranked: readonly DistinctiveFeature[], words: number): string {
  const parts = ranked.slice(0, words).map((f) => featureWord(f.feature, f.z));
  return parts.length > 0 ? parts.join(', ') : 'typical';
}

/**
 * One name per segment, unique within the model. `ranked[s]` lists segment s's features by |z|,
 * largest first. Segments whose names collide take their next distinctive features until the names
 * differ; if they run out, a segment number is appended. Deterministic: depends only on `ranked`.
 */
export function segmentNames(ranked: readonly (readonly DistinctiveFeature[])[]): string[] {
  const words = ranked.map((r) => Math.min(NAME_WORDS, r.filter((f) => Math.abs(f.z) >= NAME_MIN_Z).length));
  for (;;) {
    const names = ranked.map((r, s) => nameOf(r, words[s]!));
    const bySame = new Map<string, number[]>();
    names.forEach((name, s) => {
      bySame.set(name, [...(bySame.get(name) ?? []), s]);
    });
    let extended = false;
    for (const group of bySame.values()) {
      if (group.length < 2) continue;
      for (const s of group) {
        if (words[s]! < ranked[s]!.length) {
          words[s]!++;
          extended = true;
        }
      }
    }
    if (!extended) return uniqueBySuffix(names);
  }
}

function uniqueBySuffix(names: readonly string[]): string[] {
  const seen = new Set<string>();
  const counts = new Map<string, number>();
  for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
  return names.map((name, s) => {
    let out = counts.get(name)! > 1 ? `${name} (segment ${s + 1})` : name;
    while (seen.has(out)) out = `${out}'`;
    seen.add(out);
    return out;
  });
}
