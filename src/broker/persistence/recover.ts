// Reading the store file back at start-up: every whole frame replayed into an Image, a torn last write cut
// off, a damaged or foreign file kept aside (renamed, never deleted), each said in one log line.
import type { Clock } from '../../core/clock.js'
import type { Log } from '../options.js'
import type { StoreFile, StoreIo } from './file-io.js'
import { scanFile } from './file-format.js'
import { Image, parseRecords, type Op } from './records.js'

export interface Recovered {
  readonly image: Image
  /** The file, open for appending after its last whole frame; undefined: start a fresh file. */
  readonly file: StoreFile | undefined
  /** Bytes of the file kept (what the next compaction compares with). */
  readonly bytes: number
}

export function recoverStore(path: string, io: StoreIo, log: Log, clock: Clock): Recovered {
  const image = new Image()
  const bytes = io.read(path)
  if (bytes === undefined) return { image, file: undefined, bytes: 0 }
  const scan = scanFile<Op[]>(bytes, parseRecords)
  for (const ops of scan.frames) for (const op of ops) op(image)
  if (scan.kind === 'torn' && scan.end > 0) {
    let last = bytes.length // the zeros written ahead of the data are not part of the torn write
    while (last > scan.end && bytes[last - 1] === 0) last--
    log.write('notice', `Persistence file ${path}: cut off an incomplete last write at offset ${scan.end} (${last - scan.end} bytes, never acknowledged).`)
  }
  if (scan.kind === 'corrupt' || scan.kind === 'unreadable') {
    const aside = io.keepAside(path, `damaged-${stamp(clock.now())}`)
    log.write('error', scan.kind === 'corrupt'
      ? `Error: persistence file ${path} is damaged at offset ${scan.end}; kept it as ${aside} and started with the ${scan.frames.length} writes before the damage.`
      : `Error: ${path} is not a tsbroker persistence file; kept it as ${aside} and started with an empty store.`)
    return { image, file: undefined, bytes: 0 }
  }
  if (scan.end === 0) return { image, file: undefined, bytes: 0 }
  return { image, file: io.open(path, scan.end), bytes: scan.end }
}

/** 20261201T221800Z */
function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')
}
