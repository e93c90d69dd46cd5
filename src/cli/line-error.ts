// A stdin line tspub cannot publish (--ndjson, -l --topic-separator): reported as
// `Error: line N: <text>` and skipped (or, with --strict, the end of the run).

export class LineError {
  /** `text`: what is wrong, one sentence ending in a full stop. */
  constructor(readonly text: string) {}
}

export const lineFail = (text: string): never => { throw new LineError(text) }
