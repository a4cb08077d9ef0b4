/**
 * The text of a `.tex` file with every `%` comment removed, one string per
 * line so that line numbers stay those of the file. `\%` is a literal percent
 * sign, not a comment; `\\%` is a line break followed by a comment.
 */
export function stripComments(text: string): string[] {
  return text.replace(/^\uFEFF/, '').split(/\r?\n/).map(stripLine);
}

function stripLine(line: string): string {
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    // A backslash escapes exactly the next character, so `\\` pairs up and `\%` is skipped.
    if (c === '\\') i++;
    else if (c === '%') return line.slice(0, i);
  }
  return line;
}
