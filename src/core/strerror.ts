// C's strerror() wording for the errno codes file and socket operations hit, so messages read like mosquitto's.
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
  ECONNREFUSED: 'Connection refused',
  ECONNRESET: 'Connection reset by peer',
  EHOSTUNREACH: 'No route to host',
  ENETUNREACH: 'Network is unreachable',
  EADDRNOTAVAIL: 'Cannot assign requested address',
  EADDRINUSE: 'Address already in use',
  ETIMEDOUT: 'Connection timed out',
  EPIPE: 'Broken pipe',
}

export function strerror(err: unknown): string {
  const e = err as NodeJS.ErrnoException | undefined
  return (e?.code && TEXT[e.code]) ?? e?.message ?? String(err)
}
