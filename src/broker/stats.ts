// Counters the broker keeps for $SYS. Plain numbers, incremented on the hot path, read by the $SYS publisher.

export interface BrokerStats {
  /** Date.now() at start. */
  startedAt: number
  clientsConnected: number
  /** Persistent sessions whose client is offline. */
  clientsDisconnected: number
  clientsMaximum: number
  clientsExpired: number
  /** All MQTT packets in / out. */
  messagesReceived: number
  messagesSent: number
  publishReceived: number
  publishSent: number
  publishDropped: number
  publishBytesReceived: number
  publishBytesSent: number
  bytesReceived: number
  bytesSent: number
  retainedCount: number
  subscriptionsCount: number
  sharedSubscriptionsCount: number
  /** Messages held (retained + queued) and their payload bytes. */
  storedMessages: number
  storedBytes: number
  /** Sockets accepted since start. */
  connectionsTotal: number
  /** CONNECTs accepted since start ($SYS/broker/load/connections). */
  connectsAccepted: number
}

export function newStats(now: number): BrokerStats {
  return {
    startedAt: now, clientsConnected: 0, clientsDisconnected: 0, clientsMaximum: 0, clientsExpired: 0,
    messagesReceived: 0, messagesSent: 0, publishReceived: 0, publishSent: 0, publishDropped: 0,
    publishBytesReceived: 0, publishBytesSent: 0, bytesReceived: 0, bytesSent: 0, retainedCount: 0,
    subscriptionsCount: 0, sharedSubscriptionsCount: 0, storedMessages: 0, storedBytes: 0, connectionsTotal: 0, connectsAccepted: 0,
  }
}
