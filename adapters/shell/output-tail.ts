/**
 * The end of a command's output, small enough for an error message: the last lines are where
 * a failing command says why.
 */

/** At most `maxLines` last lines of `text`, and at most `maxBytes` bytes of them; '' when blank. */
export function takeLastLines(text: string, maxLines = 20, maxBytes = 4096): string {
  const lines = text.replace(/\s+$/u, '').split(/\r?\n/);
  let tail = lines.slice(-maxLines).join('\n');
  const bytes = Buffer.from(tail, 'utf8');
  if (bytes.length > maxBytes) {
    let start = bytes.length - maxBytes;
    // Do not start inside a multi-byte character.
    while (start < bytes.length && (bytes[start]! & 0xc0) === 0x80) start++;
    tail = `…${bytes.subarray(start).toString('utf8')}`;
  }
  return tail;
}

/** `label` and the tail of `text`, indented, as the last paragraph of an error message; '' when blank. */
export function formatOutputTail(label: string, text: string): string {
  const tail = takeLastLines(text);
  if (tail === '') return '';
  const lines = tail.split('\n');
  const indented = lines.map((line) => `  ${line}`).join('\n');
  return `\n${label} (last ${lines.length === 1 ? 'line' : `${lines.length} lines`}):\n${indented}`;
}
