import type { PageState } from './states';

/** CSS class of a state: `s-spec-audit-needed`, `s-fresh`; `—` is `s-none`. */
export function stateClass(state: PageState): string {
  return state === '—' ? 's-none' : `s-${state.replace(/ /g, '-').toLowerCase()}`;
}
