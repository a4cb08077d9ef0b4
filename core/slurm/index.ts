/**
 * The SLURM runner (docs/architecture.md, "Cluster"): an entry's command as one job, waited for
 * within bounds, and the `Resources:` / plugin `slurm` settings it is submitted with.
 * What the spec parser and the `run` executor use.
 */
export {
  RESOURCE_KEYS,
  mergeSubmission,
  parseResources,
  parseSlurmTime,
  submissionArgs,
  validateSlurmDefaults,
  type ResourceKey,
  type ResourceProblem,
  type SlurmDefaults,
  type SlurmResources,
  type SlurmSubmission,
} from '../spec/resources';
export { runSlurmJob, type RunSlurmJobOptions, type SlurmBounds, type SlurmJobResult } from './run-job';
export { describeJobEnd, type JobRecord } from './job-record';
