// The output formatters shared by tssub and tsrr.
export { compileFormat, type CompiledFormat } from './format-string.js'
export { formatMessage, type FormatResult, type OutputOptions } from './formatter.js'
export { fromPublish, stampNow, timePartsOf, type ReceivedMessage, type TimeParts } from './message.js'
