export { startGitlabLite, type GitlabLiteOptions } from './server.ts';
export type { OidcLoginSettings } from './oidc-login.ts';
export type { DocumentRenderer, PageLocale } from './pages/document-renderer.ts';
