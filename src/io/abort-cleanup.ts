/**
 * What a run must undo if it is stopped: its temporaries, its locks and the folders it made for them.
 * While any undo task is registered, SIGINT, SIGTERM and SIGHUP run every task (synchronously) and
 * then end the process by the same signal, so the shell sees 130, 143 or 129 as usual; the `exit`
 * event runs them too (an uncaught error). With no task registered the handlers are removed and
 * signals act as by default. Tasks are registered before what they undo is made, so a signal that
 * comes the moment it exists still finds its undo. A stop note (noteOnStop) is told the signal after
 * the undo, so the run's log ends with what stopped it. A note alone installs no handler: a handler
 * runs only when the main thread is free, so a signal during a long computation would wait for it,
 * where with no task to undo the signal should stop the process at once.
 */

type Task = () => void;
/** Told the signal that stopped the run and the exit code the shell sees for it. */
type StopNote = (signal: NodeJS.Signals, exitCode: number) => void;

const tasks = new Set<Task>();
const notes = new Set<StopNote>();
const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const SIGNAL_NUMBERS: Readonly<Record<string, number>> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

/** Runs every task, the latest first (a lock is removed before the folder made for it). */
function runAll(): void {
  for (const task of [...tasks].reverse()) {
    tasks.delete(task);
    try {
      task();
    } catch {
      // Best effort: one failed undo must not keep the others from running.
    }
  }
}

/** How long a stopped run waits for file operations already under way before it undoes again. */
const SETTLE_MS = 200;

function onSignal(signal: NodeJS.Signals): void {
  const undo = [...tasks].reverse();
  runAll();
  // A mkdir or an open already handed to libuv's thread pool can still land after the first pass and
  // make the folder again. With this thread blocked no new operation starts, so after a pause the
  // same undo tasks (each safe to run twice) remove whatever those made.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, SETTLE_MS);
  for (const task of undo) {
    try {
      task();
    } catch {
      // Already undone.
    }
  }
  const exitCode = 128 + (SIGNAL_NUMBERS[signal] ?? 0);
  for (const note of [...notes]) {
    try {
      note(signal, exitCode);
    } catch {
      // A note that cannot be written must not keep the process from stopping.
    }
  }
  uninstall();
  // Die by the signal itself when no one else listens for it, else exit with the shell's code.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  else process.exit(exitCode);
}

let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  for (const s of SIGNALS) process.on(s, onSignal);
  process.on('exit', runAll);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  for (const s of SIGNALS) process.removeListener(s, onSignal);
  process.removeListener('exit', runAll);
}

/**
 * Registers `task` to run if the process is stopped before the returned function is called; calling
 * it unregisters the task without running it.
 */
export function undoOnAbort(task: Task): () => void {
  tasks.add(task);
  install();
  return () => {
    tasks.delete(task);
    if (tasks.size === 0) uninstall();
  };
}

/**
 * Registers `note` to be told, once, if a signal stops the process while an undo task is registered
 * (after the tasks have run) and before the returned function is called, which unregisters it.
 */
export function noteOnStop(note: StopNote): () => void {
  notes.add(note);
  return () => {
    notes.delete(note);
  };
}

/**
 * Lets a signal that came during synchronous work (an Arrow or Parquet encoder, a long loop) reach
 * its handler while the undo that covers that work is still registered: call it before making the
 * work final and unregistering the undo. Node hands a signal to JavaScript in the event loop's poll
 * phase; two turns of the loop take it through one. Without this, unregistering the last task removed
 * the handlers first, and the signal was dropped: the run ended with exit 0 and its output in place.
 */
export async function settleSignals(): Promise<void> {
  if (!installed) return;
  await new Promise<void>((resolve) => setImmediate(resolve));
  await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Undo tasks registered now (for tests). */
export function pendingUndoTasks(): number {
  return tasks.size;
}
