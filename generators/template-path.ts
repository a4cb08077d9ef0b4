/** The template helpers moved to core/scaffold so the CLI shares them; kept here for existing imports. */
export { findPackageRoot, readTemplate, templatePath } from '../core/scaffold/templates';
