import pino, { type LoggerOptions } from 'pino';

/** Paths pino must never print: credentials, cookies, LTI secrets and Moodle's sesskey-bearing return URL. */
export const redactedPaths = [
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  '*.secret',
  '*.consumerSecret',
  '*.previousSecret',
  '*.oauth_signature',
  '*.id_token',
  '*.token',
  '*.privateJwk',
  '*.launch_presentation_return_url',
  '*.returnUrl',
  'password',
  '*.password',
];

export function loggerOptions(level: string): LoggerOptions {
  return { level, redact: { paths: redactedPaths, censor: '[redacted]' } };
}

export function createLogger(level: string) {
  return pino(loggerOptions(level));
}

export type Logger = pino.Logger;
