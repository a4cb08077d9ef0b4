import { parseTex, stripComments } from './document';
import { candidateFiles, resolvedFile } from './resolve';
import { labelScopes } from './sections';

const PAPER = [
  '\\documentclass{article}', //                                   1
  '\\begin{document}', //                                          2
  '\\section{Intro}\\label{sec:intro}', //                          3
  'Growth was 5\\% % \\input{tables/commented}', //                 4
  '\\section[Res]{Results\\\\ and {more}}', //                      5
  '\\label{sec:results}', //                                       6
  '\\input{tables/mincer}', //                                     7
  '\\subsection{Robustness}\\label{sec:robust}', //                8
  '\\includegraphics[width=0.5\\textwidth]{figures/scatter}', //   9
  '\\include{appendix/extra}', //                                  10
  '\\sectionversion{3}', //                                        11
  '\\section*{Conclusion}\\label{sec:conclusion}', //              12
  '\\\\% a line break, then a comment \\input{x}', //             13
  '\\end{document}', //                                            14
  '\\input{after-the-end}', //                                     15
].join('\n');

describe('stripComments', () => {
  it('drops % comments but keeps \\% and line numbers', () => {
    expect(stripComments('a % b\nc \\% d % e\n\\\\% f')).toEqual(['a ', 'c \\% d ', '\\\\']);
  });
});

describe('parseTex and label scopes', () => {
  const doc = parseTex(PAPER);
  const scopes = labelScopes(doc);

  it('finds labels, sections (starred, short titles, nested braces) and inputs with their lines', () => {
    expect(doc.labels.map((l) => [l.name, l.line])).toEqual([
      ['sec:intro', 3],
      ['sec:results', 6],
      ['sec:robust', 8],
      ['sec:conclusion', 12],
    ]);
    expect(doc.sections.map((s) => [s.command, s.line, s.title])).toEqual([
      ['section', 3, 'Intro'],
      ['section', 5, 'Results\\\\ and {more}'],
      ['subsection', 8, 'Robustness'],
      ['section', 12, 'Conclusion'],
    ]);
    expect(doc.inputs.map((i) => [i.command, i.path, i.line])).toEqual([
      ['input', 'tables/mincer', 7],
      ['includegraphics', 'figures/scatter', 9],
      ['include', 'appendix/extra', 10],
    ]);
  });

  it('scopes a label to its section, which holds its subsections, up to the next section of the same level', () => {
    const results = scopes.get('sec:results')!;
    expect(results.section?.line).toBe(5);
    expect(results.inputs.map((i) => i.path)).toEqual(['tables/mincer', 'figures/scatter', 'appendix/extra']);
    expect(scopes.get('sec:robust')!.inputs.map((i) => i.path)).toEqual(['figures/scatter', 'appendix/extra']);
    expect(scopes.get('sec:intro')!.inputs).toEqual([]);
    expect(scopes.get('sec:conclusion')!.inputs).toEqual([]);
  });

  it('tells whether \\sectionversion is within 10 lines of the label', () => {
    expect(scopes.get('sec:results')!.sectionVersionNear).toBe(true);
    expect(parseTex(`\\section{A}\\label{a}${'\n'.repeat(11)}\\sectionversion{1}`).labels[0].line).toBe(1);
    const far = labelScopes(parseTex(`\\section{A}\\label{a}${'\n'.repeat(11)}\\sectionversion{1}`));
    expect(far.get('a')!.sectionVersionNear).toBe(false);
    const near = labelScopes(parseTex(`\\section{A}\\label{a}${'\n'.repeat(10)}\\sectionversion{1}`));
    expect(near.get('a')!.sectionVersionNear).toBe(true);
  });

  it("reads TeX's bare \\input name as an input, and nothing else as one", () => {
    const doc = parseTex(
      '\\section{R}\\label{r}\n\\input tables/mincer.tex\n\\input  tables/other % note\n\\input {tables/braced}\n\\inputencoding{utf8}\n\\input\\relax\n% \\input tables/commented\n',
    );
    expect(doc.inputs.map((i) => [i.path, i.line])).toEqual([
      ['tables/mincer.tex', 2],
      ['tables/other', 3],
      ['tables/braced', 4],
    ]);
    expect(
      labelScopes(doc)
        .get('r')!
        .inputs.map((i) => i.path),
    ).toEqual(['tables/mincer.tex', 'tables/other', 'tables/braced']);
  });

  it('scopes a label before any section to the text before the first one', () => {
    const s = labelScopes(parseTex('\\label{top}\n\\input{a}\n\\section{B}\n\\input{b}')).get('top')!;
    expect(s.section).toBeNull();
    expect(s.inputs.map((i) => i.path)).toEqual(['a']);
  });
});

describe('\\graphicspath', () => {
  it('gives each \\includegraphics the directories in force where it stands, and they are tried after the path as given', () => {
    const doc = parseTex(
      '\\includegraphics{before}\n\\graphicspath{{figures/}{../shared/img}}\n\\includegraphics[width=3in]{scatter.png}\n\\graphicspath{ {plots/} }\n\\includegraphics{last}\n\\input{tables/t}',
    );
    expect(doc.inputs.map((i) => [i.path, i.graphicsPaths ?? null])).toEqual([
      ['before', []],
      ['scatter.png', ['figures/', '../shared/img']],
      ['last', ['plots/']],
      ['tables/t', null],
    ]);
    expect(candidateFiles('reports/paper.tex', doc.inputs[1])).toEqual([
      'reports/scatter.png',
      'reports/figures/scatter.png',
      'shared/img/scatter.png',
    ]);
    expect(resolvedFile(candidateFiles('reports/paper.tex', doc.inputs[2]), (p) => p === 'reports/plots/last.pdf')).toBe(
      'reports/plots/last.pdf',
    );
    // A directory that leaves the workspace, or is absolute, adds nothing.
    expect(candidateFiles('paper.tex', { command: 'includegraphics', path: 'a.png', graphicsPaths: ['../out/', '/abs/'] })).toEqual([
      'a.png',
    ]);
  });
});

describe('candidateFiles', () => {
  const c = (command: 'input' | 'include' | 'includegraphics', path: string) => candidateFiles('reports/paper.tex', { command, path });
  it('resolves relative to the host document and adds the implied extensions', () => {
    expect(c('input', 'tables/mincer')).toEqual(['reports/tables/mincer.tex', 'reports/tables/mincer']);
    expect(c('input', './tables/mincer.tex')).toEqual(['reports/tables/mincer.tex']);
    expect(c('include', 'appendix')).toEqual(['reports/appendix.tex']);
    expect(c('includegraphics', 'fig/a')).toEqual([
      'reports/fig/a.pdf',
      'reports/fig/a.png',
      'reports/fig/a.jpg',
      'reports/fig/a.jpeg',
      'reports/fig/a.eps',
    ]);
    expect(c('includegraphics', 'fig/a.PNG')).toEqual(['reports/fig/a.PNG']);
    expect(c('input', '../../etc/passwd')).toEqual([]);
    expect(c('input', '/abs/x')).toEqual([]);
    expect(resolvedFile(c('includegraphics', 'fig/a'), (p) => p.endsWith('.png'))).toBe('reports/fig/a.png');
    expect(resolvedFile(c('input', 'tables/x'), () => false)).toBe('reports/tables/x.tex');
  });
});
