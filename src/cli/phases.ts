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

/** CPU seconds this process has used, on every thread (a phase's workers count). */
export function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/**
 * A timer logging `{ phase, seconds, cpuSeconds }` at info level as each phase ends; `clock` returns
 * milliseconds, `cpu` seconds. On a machine others load, the CPU seconds compare where the wall ones
 * do not; their ratio to the wall seconds says how many cores a phase kept busy.
 */
export function phaseTimer(
  log: Logger,
  clock: () => number = () => performance.now(),
  peak: () => number = peakRssMiB,
  cpu: () => number = cpuSeconds,
): PhaseTimer {
  const began = clock();
  const phases: { phase: string; seconds: number }[] = [];
  let current: { phase: string; at: number; cpu: number } | null = null;
  const end = () => {
    if (current === null) return;
    const seconds = round((clock() - current.at) / 1000);
    phases.push({ phase: current.phase, seconds });
    log.info({ phase: current.phase, seconds, cpuSeconds: round(cpu() - current.cpu) }, 'phase');
    current = null;
  };
  return {
    start(name) {
      end();
      current = { phase: name, at: clock(), cpu: cpu() };
    },
    finish() {
      end();
      const summary = { phases, seconds: round((clock() - began) / 1000), peakRssMiB: peak() };
      log.info({ seconds: summary.seconds, peakRssMiB: summary.peakRssMiB }, 'total');
      return summary;
    },
  };
}
