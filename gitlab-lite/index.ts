export { startGitlabLite, type GitlabLiteOptions } from './server.ts';
export type { OidcLoginSettings } from './oidc-login.ts';
