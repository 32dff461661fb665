/**
 * Which kind of input a file is, told from its header: a CDR has start_time/event_type, billing has
 * month/billed_amount, each under the name the config maps it to.
 */
import type { Config } from '../config.js';
import type { FileKind } from '../contract.js';
import { InputError } from '../errors.js';
import { describeColumns } from './columns.js';

/** The kind of the file at `path` with header `names`; InputError when the header fits neither or both. */
export function fileKindOf(
  path: string,
  names: readonly string[],
  columns: Pick<Config['columns'], 'billing' | 'cdr'>,
): FileKind {
  const has = (n: string) => names.includes(n);
  const b = columns.billing;
  const c = columns.cdr;
  const cdr = has(c.start_time ?? 'start_time') || has(c.event_type ?? 'event_type');
  const billing = has(b.month ?? 'month') || has(b.billed_amount ?? 'billed_amount');
  if (cdr && !billing) return 'cdr';
  if (billing && !cdr) return 'billing';
  throw new InputError(
    `${path}: cannot tell whether this is a billing or a CDR file (${
      cdr ? 'it has columns of both' : 'a CDR has start_time/event_type, billing has month/billed_amount'
    }; ${describeColumns(names)}); pass --kind billing or --kind cdr`,
  );
}
