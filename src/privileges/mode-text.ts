import { constants, type Stats } from 'node:fs';
import { nameOf } from './system-user.ts';

const kinds: Record<number, string> = {
  [constants.S_IFSOCK]: 's',
  [constants.S_IFDIR]: 'd',
  [constants.S_IFLNK]: 'l',
  [constants.S_IFREG]: '-',
};

/** A file's type, modes and owners as `ls -l` shows them: `srw------- root root`. */
export function modeText(st: Stats): string {
  const bits = [...'rwxrwxrwx'].map((c, i) => (st.mode & (0o400 >> i) ? c : '-'));
  // setuid, setgid and sticky show in the x places, as ls shows them (s/S, s/S, t/T)
  for (const [bit, at, mark] of [
    [0o4000, 2, 's'],
    [0o2000, 5, 's'],
    [0o1000, 8, 't'],
  ] as const)
    if (st.mode & bit) bits[at] = bits[at] === 'x' ? mark : mark.toUpperCase();
  return `${kinds[st.mode & constants.S_IFMT] ?? '?'}${bits.join('')} ${nameOf('passwd', st.uid)} ${nameOf('group', st.gid)}`;
}
