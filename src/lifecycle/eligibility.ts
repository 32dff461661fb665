import { CARD, STATUS } from '../contract.js';
import type { DictColumn } from '../frame.js';

/**
 * Why a subscriber is not put on a call list, in the order checked: a closed line, a non-normal card
 * (employee, test, free, SP-only), a do-not-disturb request, or a call that reached them within
 * targets.contact_gap_days before the list date (targets/contact-policy.ts; for this month only).
 * Closed comes first, so `exclusion` = closed says exactly who was closed: the evaluation a month
 * later leaves them out (no call could keep them), whatever their card or their do-not-disturb flag.
 */
export const EXCLUSION_REASONS = ['closed', 'card_type', 'do_not_disturb', 'recently_contacted'] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

export interface Eligibility {
  /** 1 when the subscriber may be called. */
  eligible: Uint8Array;
  /** The first reason that applies (EXCLUSION_REASONS order), or missing (-1) when eligible. */
  exclusion: DictColumn;
}

export function eligibility(
  cardType: Uint8Array,
  doNotDisturb: Uint8Array,
  status: Uint8Array,
  recentlyContacted?: Uint8Array,
): Eligibility {
  const n = cardType.length;
  const eligible = new Uint8Array(n);
  const codes = new Int32Array(n);
  // Read once: the enum objects may be module getters after bundling.
  const normal = CARD.normal;
  const closed = STATUS.closed;
  for (let i = 0; i < n; i++) {
    let reason = -1;
    if (status[i] === closed) reason = 0;
    else if (cardType[i] !== normal) reason = 1;
    else if (doNotDisturb[i] !== 0) reason = 2;
    else if (recentlyContacted !== undefined && recentlyContacted[i] !== 0) reason = 3;
    codes[i] = reason;
    eligible[i] = reason < 0 ? 1 : 0;
  }
  return { eligible, exclusion: { kind: 'dict', codes, dictionary: EXCLUSION_REASONS } };
}
