/**
 * Who owns each generated subscriber: a handful of units (归属单位) and the service managers within
 * them. Drawn from a hash of the subscriber id, not from the simulation's random stream, so asking for
 * the owner columns changes no other value of the generated files.
 */
import { BILLING_FIELDS, OWNER_FIELDS } from '../../src/contract.js';
import { hashString } from '../../src/random.js';

/** Service managers per unit. */
const MANAGERS_PER_UNIT = 3;

export interface Owner {
  unit: string;
  manager: string;
}

/** The owner of `subscriberId` among `units` units (units ≥ 1): units are `unit-01`.., managers `unit-01/m1`... */
export function ownerOf(subscriberId: string, units: number): Owner {
  const h = hashString(`owner:${subscriberId}`);
  const u = h % units;
  const m = Math.floor(h / units) % MANAGERS_PER_UNIT;
  const unit = `unit-${String(u + 1).padStart(2, '0')}`;
  return { unit, manager: `${unit}/m${m + 1}` };
}

/** The billing columns a generated file has: the contract's, the owner columns only with units. */
export function generatedBillingFields(units: number): string[] {
  const owner = new Set<string>(OWNER_FIELDS);
  return BILLING_FIELDS.map((f) => f.name).filter((name) => units > 0 || !owner.has(name));
}
