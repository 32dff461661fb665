/** A progress bar on stderr, drawn only on a terminal and at most a few times a second. */
export interface Progress {
  update(done: number, total?: number): void;
  done(): void;
}

const NO_PROGRESS: Progress = { update: () => {}, done: () => {} };

export function createProgress(
  stderr: NodeJS.WritableStream,
  isTTY: boolean,
  label: string,
  total: number,
  now: () => number = () => performance.now(),
): Progress {
  if (!isTTY) return NO_PROGRESS;
  let last = -Infinity;
  let shown = false;
  let size = total;
  const draw = (done: number) => {
    const share = size > 0 ? Math.min(1, done / size) : 0;
    const width = 30;
    const filled = Math.round(share * width);
    stderr.write(
      `\r\x1b[K${label} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${(share * 100).toFixed(0)}%`,
    );
    shown = true;
  };
  return {
    update(done, newTotal) {
      if (newTotal !== undefined) size = newTotal;
      const t = now();
      if (t - last < 150 && done < size) return;
      last = t;
      draw(done);
    },
    done() {
      if (shown) stderr.write('\r\x1b[K');
    },
  };
}
