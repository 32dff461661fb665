import { LISTS, type ListName, type OwnerField } from '../contract.js';
import { dict, type Frame, take } from '../frame.js';

/**
 * The call lists split per owning unit or service manager (`score --split-by`): each owner gets every
 * list, holding only its subscribers, in the list's order. Owner values come from the billing files
 * and may be anything, so each owner's folder gets a safe name (safeFolderNames); the index keeps the
 * value beside it.
 */
export interface OwnerLists {
  /** The owner as billed; null for subscribers whose billing names none. */
  readonly value: string | null;
  /** A folder name safe on any file system, unique among the owners (case-insensitively). */
  readonly folder: string;
  readonly lists: Record<ListName, Frame>;
}

/** The folder of subscribers without an owner: no owner's safe name can take it (no parentheses). */
export const NO_OWNER_FOLDER = '(none)';

const RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;
const MAX_NAME = 64;

/**
 * A folder name for each value, in the order given: letters (any script) and digits kept, every run
 * of other characters (separators, dots, spaces, controls) one `_`, none at either end; cut to 64 characters; names a
 * system reserves (`CON`, `NUL`, ...) or left empty get a suffix. Two values whose names would agree,
 * ignoring case, get `-2`, `-3`... in the order given. No name holds a dot or a separator, so none
 * can leave the folder it is made in.
 */
export function safeFolderNames(values: readonly string[]): string[] {
  const taken = new Set<string>([NO_OWNER_FOLDER]);
  return values.map((value) => {
    let base = value
      .normalize('NFC')
      .replace(/[^\p{L}\p{N}]+/gu, '_')
      .replace(/^_|_$/g, '')
      .slice(0, MAX_NAME);
    if (base === '') base = 'owner';
    if (RESERVED.test(base)) base = `${base}_`;
    let name = base;
    for (let k = 2; taken.has(name.toLowerCase()); k++) name = `${base}-${k}`;
    taken.add(name.toLowerCase());
    return name;
  });
}

/** Splits every list by the owner column `by` (which the lists must have); owners sorted by value. */
export function splitListsBy(lists: Readonly<Record<ListName, Frame>>, by: OwnerField): OwnerLists[] {
  const values = new Set<string>();
  let withoutOwner = false;
  const rowsOf = new Map<string | null, Map<ListName, number[]>>();
  for (const name of LISTS) {
    const frame = lists[name];
    if (!(by in frame.cols)) throw new RangeError(`the ${name} list has no ${by} column`);
    const owner = dict(frame, by);
    for (let i = 0; i < frame.n; i++) {
      const code = owner.codes[i]!;
      const value = code < 0 ? null : owner.dictionary[code]!;
      if (value === null) withoutOwner = true;
      else values.add(value);
      let byList = rowsOf.get(value);
      if (byList === undefined) {
        byList = new Map();
        rowsOf.set(value, byList);
      }
      let rows = byList.get(name);
      if (rows === undefined) {
        rows = [];
        byList.set(name, rows);
      }
      rows.push(i);
    }
  }
  const sorted = [...values].sort();
  const folders = safeFolderNames(sorted);
  const owners: (string | null)[] = [...sorted, ...(withoutOwner ? [null] : [])];
  return owners.map((value, k) => {
    const byList = rowsOf.get(value)!;
    const out = {} as Record<ListName, Frame>;
    for (const name of LISTS) out[name] = take(lists[name], byList.get(name) ?? []);
    return { value, folder: value === null ? NO_OWNER_FOLDER : folders[k]!, lists: out };
  });
}
