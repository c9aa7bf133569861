/** A progress bar on stderr when it is a terminal; silent otherwise (pipes, files, CI logs). */
export function progressBar(
  label: string,
  stream: NodeJS.WriteStream = process.stderr,
): {
  update: (done: number, total: number) => void;
  finish: () => void;
} {
  if (!stream.isTTY) return { update: () => undefined, finish: () => undefined };
  let shown = -1;
  return {
    update(done, total) {
      const width = 30;
      const filled = total > 0 ? Math.round((done / total) * width) : width;
      if (filled === shown && done !== total) return;
      shown = filled;
      stream.write(`\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}`);
    },
    finish() {
      if (shown >= 0) stream.write('\n');
    },
  };
}
