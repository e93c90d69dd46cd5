// mqtt-packet ships no types for this internal module: its table of pre-encoded two-byte numbers,
// filled on the first encode while `writeToStream.cacheNumbers` is on (see encode() in index.ts).
declare module 'mqtt-packet/numbers.js' {
  const numbers: { readonly cache: Readonly<Record<number, Buffer | undefined>> }
  export default numbers
}
