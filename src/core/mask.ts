// How a secret is shown when the text around it must be (an error that repeats a URL): masked.

/** What every masked value is shown as. */
export const MASK = '********'

/**
 * A URL's password, between the first ':' after `scheme://` (if any, and before any '/') and the last '@',
 * masked. Wider than the parsers' own split (first '@'), so a password holding '@' or '/' is hidden too;
 * a URL whose path holds ':' and '@' loses a little more than its password.
 */
export function maskUrlPassword(url: string): string {
  const scheme = url.indexOf('://')
  const start = scheme < 0 ? 0 : scheme + 3
  const at = url.lastIndexOf('@')
  const colon = url.indexOf(':', start)
  const slash = url.indexOf('/', start)
  if (at < start || colon < 0 || colon > at || (slash >= 0 && slash < colon)) return url
  return `${url.slice(0, colon + 1)}${MASK}${url.slice(at)}`
}
