// Public API of the tsmqtt package: re-exports only.
export { createBroker, type Broker, type InlinePublish } from './broker/broker.js'
export type { BrokerOptions, BrokerLogger, LogLevel } from './broker/options.js'
export type { ListenSpec, TcpListenSpec, UnixListenSpec, ListenerAddress, TcpAddress, UnixAddress } from './broker/listener.js'
export type { ConnectionMeta } from './broker/broker-client.js'
export type { BrokerHooks, ClientInfo, ConnectInfo, AuthResult } from './broker/hooks.js'
export type { BrokerStats } from './broker/stats.js'
export type { PersistenceOptions } from './broker/persistence/options.js'
export { PersistenceError } from './broker/persistence/file-format.js'
export type { Message } from './broker/message.js'
export { connect, Client, type ClientOptions, type PublishOptions, type PublishResult } from './client/client.js'
export {
  MqttError, UsageError, ConnackRefusedError, ProtocolError, NetworkError, ConnectionClosedError, TlsError,
  TimeoutError, AbortError, KeepaliveError,
} from './core/errors.js'
