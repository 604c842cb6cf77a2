import type { Config } from '../config.ts';
import { connectEngine, createDockerJobs } from '../workspaces/index.ts';

/** The container engine submissions are graded on (the workspaces' one). */
export const buildGradingJobs = (config: Config) =>
  createDockerJobs(connectEngine(config.grading.dockerSocket));
