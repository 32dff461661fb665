/**
 * Wall time of a command's phases, logged as each one ends, and the run's total and peak memory.
 * Pure stages never read a clock: they only say when a phase starts (`onPhase(name)`), and the
 * command's timer closes the previous phase there.
 */
import type { Logger } from '../log.js';

export interface PhaseTimer {
  /** Ends the current phase (if any) and starts `name`. */
  readonly start: (name: string) => void;
  /** Ends the current phase; logs the total seconds since the timer was made and the peak RSS. */
  readonly finish: () => PhaseSummary;
}

export interface PhaseSummary {
  readonly phases: readonly { readonly phase: string; readonly seconds: number }[];
  readonly seconds: number;
  /** Largest resident set of the process so far, in MiB. */
  readonly peakRssMiB: number;
}

const round = (seconds: number) => Math.round(seconds * 1000) / 1000;

/** Peak resident set size of this process in MiB (resourceUsage reports kilobytes). */
export function peakRssMiB(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/** A timer logging `{ phase, seconds }` at info level as each phase ends; `clock` returns milliseconds. */
export function phaseTimer(
  log: Logger,
  clock: () => number = () => performance.now(),
  peak: () => number = peakRssMiB,
): PhaseTimer {
  const began = clock();
  const phases: { phase: string; seconds: number }[] = [];
  let current: { phase: string; at: number } | null = null;
  const end = () => {
    if (current === null) return;
    const seconds = round((clock() - current.at) / 1000);
    phases.push({ phase: current.phase, seconds });
    log.info({ phase: current.phase, seconds }, 'phase');
    current = null;
  };
  return {
    start(name) {
      end();
      current = { phase: name, at: clock() };
    },
    finish() {
      end();
      const summary = { phases, seconds: round((clock() - began) / 1000), peakRssMiB: peak() };
      log.info({ seconds: summary.seconds, peakRssMiB: summary.peakRssMiB }, 'total');
      return summary;
    },
  };
}
