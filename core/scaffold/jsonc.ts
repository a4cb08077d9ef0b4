/**
 * Parses nx.json the way Nx accepts it: JSON with `//` and `/* *\/` comments
 * and trailing commas. Strings are copied untouched, so a `//` or `,]` inside
 * a value survives. Throws SyntaxError like JSON.parse.
 */
export function parseJsonc(text: string): unknown {
  return JSON.parse(dropTrailingCommas(dropComments(text.replace(/^\uFEFF/, ''))));
}

/** Calls `other` for each character outside strings; strings go through whole. */
function scan(text: string, other: (i: number, out: string[]) => number): string {
  const out: string[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '"') {
      const start = i;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      out.push(text.slice(start, i + 1));
    } else i = other(i, out);
  }
  return out.join('');
}

function dropComments(text: string): string {
  return scan(text, (i, out) => {
    if (text.startsWith('//', i)) {
      const end = text.indexOf('\n', i);
      out.push('\n');
      return end < 0 ? text.length : end;
    }
    if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      out.push(' ');
      return end < 0 ? text.length : end + 1;
    }
    out.push(text[i]);
    return i;
  });
}

function dropTrailingCommas(text: string): string {
  return scan(text, (i, out) => {
    let next = i + 1;
    while (next < text.length && /\s/.test(text[next])) next++;
    if (text[i] !== ',' || (text[next] !== '}' && text[next] !== ']')) out.push(text[i]);
    return i;
  });
}
