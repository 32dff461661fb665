import type { Config } from '../config.js';

/**
 * The warning list's capacity, decided here for every stage that needs it (the control group's
 * sizing, the list's cut, the run's summary): the run's own (`--capacity`) when it sets one, else
 * the config's targets.capacity; null = no cap.
 */
export function warningCapacity(
  runCapacity: number | null | undefined,
  configured: Config['targets']['capacity'],
): number | null {
  return runCapacity ?? configured;
}
