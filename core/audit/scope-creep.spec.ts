import { findScopeCreep } from './scope-creep';

describe('findScopeCreep', () => {
  const terms = (line: string) => findScopeCreep([line]).flatMap((h) => h.terms);

  it('flags styling words and figure LaTeX, normalised', () => {
    expect(terms('Use the viridis Palette with muted colours and clear axis labels.')).toEqual(['palette', 'colour', 'axis label']);
    expect(terms('Plot it with matplotlib (or pgfplots, or ggplot2); add a colorbar and a colourmap.')).toEqual([
      'matplotlib',
      'pgfplots',
      'ggplot',
      'colorbar',
      'colormap',
    ]);
    expect(terms('The paper does `\\input{tables/x}` and sets \\caption{...}; \\includegraphics too.')).toEqual([
      '\\input',
      '\\caption',
      '\\includegraphics',
    ]);
  });

  it('leaves data prose alone: code spans, longer words, other commands', () => {
    expect(terms('Recode `colour` and `eye_color` into indicators.')).toEqual([]);
    expect(terms('Respondents from Colorado; coloured-pencil test scores; \\inputencoding; \\captionsetup.')).toEqual([]);
    expect(terms('The script reports classical standard errors and writes the table of estimates.')).toEqual([]);
  });

  it('reports each matching line once with its index', () => {
    expect(findScopeCreep(['data', 'colour and color', 'more data', 'palette'])).toEqual([
      { index: 1, terms: ['colour', 'color'] },
      { index: 3, terms: ['palette'] },
    ]);
  });
});
