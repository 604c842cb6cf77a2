export { startUnprivileged, type StartSettings } from './start-unprivileged.ts';
export type { Account, StartLog } from './system-user.ts';
export { socketKeptWithoutRoot } from './engine-socket.ts';
