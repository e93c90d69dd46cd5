// Stand-in for the `debug` package inside the bundled CLIs: mqtt-packet's trace lines are never enabled there.
module.exports = function debug() {
  const log = () => {}
  log.enabled = false
  return log
}
