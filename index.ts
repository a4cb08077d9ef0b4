/** The package entry: Nx loads `{"plugin": "@specthis/nx"}` from here. */
export { createNodes } from './plugin/create-nodes';
export const name = '@specthis/nx';
