// Public API of the tsmqtt package: re-exports only.
export { createBroker, type Broker, type InlinePublish } from './broker/broker.js'
export type { BrokerOptions, BrokerLogger, LogLevel } from './broker/options.js'
export {
  BridgeConfigError, type BridgeSpec, type BridgeTopic, type BridgeDirection, type BridgeAddress, type BridgeTls,
} from './broker/bridge/spec.js'
export type {
  ListenSpec, TcpListenSpec, TlsListenSpec, WsListenSpec, WssListenSpec, UnixListenSpec, TlsMaterial, Pem,
  ListenerAddress, TcpAddress, UnixAddress,
} from './broker/listeners/types.js'
export { ListenerError } from './broker/listeners/tls-material.js'
export type { ConnectionMeta } from './broker/broker-client.js'
export type { BrokerHooks, ClientInfo, ConnectInfo, AuthResult } from './broker/hooks.js'
export type { BrokerStats } from './broker/stats.js'
export type { PersistenceOptions } from './broker/persistence/options.js'
export { PersistenceError } from './broker/persistence/file-format.js'
export type { Message } from './broker/message.js'
export {
  connect, createClient, Client, type ClientOptions, type ReconnectOptions, type PublishOptions, type PublishResult,
} from './client/client.js'
export { parseBrokerUrl, InvalidUrlError, type Endpoint } from './core/endpoint.js'
export { WebSocketError } from './core/ws-client.js'
export {
  MqttError, UsageError, ConnackRefusedError, ProtocolError, NetworkError, ConnectionClosedError, TlsError,
  TimeoutError, AbortError, KeepaliveError, PacketTooLargeError,
} from './core/errors.js'
