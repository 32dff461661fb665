import { TRIGGERS, type Trigger } from '../contract.js';
import { type DictColumn, type Frame, u8 } from '../frame.js';

/** Bit i is set when TRIGGERS[i] fired: one small integer per subscriber instead of ten flags. */
export function triggerMasks(f: Frame): Uint16Array {
  const masks = new Uint16Array(f.n);
  TRIGGERS.forEach((name, bit) => {
    const fired = u8(f, `trigger_${name}`);
    for (let i = 0; i < f.n; i++) if (fired[i] !== 0) masks[i] |= 1 << bit;
  });
  return masks;
}

export function maskOf(names: readonly Trigger[]): number {
  let mask = 0;
  for (const name of names) mask |= 1 << TRIGGERS.indexOf(name);
  return mask;
}

/** The fired trigger names joined with ';' in TRIGGERS order ('' when none). */
export function triggerText(mask: number): string {
  const names: string[] = [];
  TRIGGERS.forEach((name, bit) => {
    if (mask & (1 << bit)) names.push(name);
  });
  return names.join(';');
}

/** Masks as a dictionary column; each distinct combination is spelled out once. */
export function triggerColumn(masks: Uint16Array): DictColumn {
  const codeOfMask = new Int32Array(1 << TRIGGERS.length).fill(-1);
  const dictionary: string[] = [];
  const codes = new Int32Array(masks.length);
  for (let i = 0; i < masks.length; i++) {
    const m = masks[i]!;
    let code = codeOfMask[m]!;
    if (code < 0) {
      code = dictionary.length;
      codeOfMask[m] = code;
      dictionary.push(triggerText(m));
    }
    codes[i] = code;
  }
  return { kind: 'dict', codes, dictionary };
}
