export { startGitlabLite, type GitlabLiteOptions } from './server.ts';
