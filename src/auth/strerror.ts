// C's strerror() wording for the errno codes file operations hit, so messages read like mosquitto_passwd's.
const TEXT: Readonly<Record<string, string>> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  EROFS: 'Read-only file system',
  ENOSPC: 'No space left on device',
  EEXIST: 'File exists',
  EMFILE: 'Too many open files',
  ELOOP: 'Too many levels of symbolic links',
  ENAMETOOLONG: 'File name too long',
  EDQUOT: 'Disk quota exceeded',
  EIO: 'Input/output error',
}

export function strerror(err: unknown): string {
  const e = err as NodeJS.ErrnoException | undefined
  return (e?.code && TEXT[e.code]) ?? e?.message ?? String(err)
}
