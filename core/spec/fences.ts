const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})/;

/**
 * CommonMark's fenced code blocks, line by line: a fence opens with three or
 * more backticks (or tildes) and closes only with a line of at least as many
 * of the same character and nothing else, so ```` ```` ```` around a ``` ```
 * ``` example stays one block. The heading scanner and the field reader share
 * it: a `### x` or a `Script:` inside an example is neither an entry nor a field.
 */
export function fenceScanner(): (line: string) => boolean {
  let fence: string | undefined;
  return (line) => {
    const f = FENCE_OPEN.exec(line);
    if (fence) {
      if (f && f[1][0] === fence[0] && f[1].length >= fence.length && line.trim() === f[1]) fence = undefined;
      return true;
    }
    if (f) {
      fence = f[1];
      return true;
    }
    return false;
  };
}
