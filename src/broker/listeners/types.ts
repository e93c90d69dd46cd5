// What broker.listen() accepts and returns, and the one small interface every listener kind implements.
import type { Duplex } from 'node:stream'

/** PEM material: the bytes themselves, or a path to read them from. */
export type Pem = Buffer | string

export interface TlsMaterial {
  /** Server certificate chain (mosquitto's certfile). */
  cert: Pem
  /** Its private key (keyfile). */
  key: Pem
  /** CA certificates that client certificates must chain to (cafile); one or several. */
  ca?: Pem | readonly Pem[]
  /** A directory of CA certificates (capath): every *.pem and *.crt in it. */
  caPath?: string
  /** Clients must present a certificate signed by one of the CAs (require_certificate). */
  requireCertificate?: boolean
  /**
   * The Common Name of the client certificate is the client's username and its CONNECT username and
   * password are ignored: the certificate is the authentication, as in mosquitto (use_identity_as_username).
   * Needs requireCertificate.
   */
  useIdentityAsUsername?: boolean
  /** The lowest TLS version accepted (tls_version): 'tlsv1.3', 'tlsv1.2' (default) or 'tlsv1.1'. */
  version?: 'tlsv1.3' | 'tlsv1.2' | 'tlsv1.1'
  /** OpenSSL cipher list (ciphers). */
  ciphers?: string
}

interface ListenCommon {
  /** ClientInfo.listener of its connections (per_listener_settings). Default: the bound port, or the socket path. */
  id?: string
  /** Refuse connections beyond this many at once, as mosquitto's max_connections (default: unlimited). */
  maxConnections?: number
}

interface PortSpec extends ListenCommon {
  /** 0 = any free port. */
  port: number
  /** Bind address; default all interfaces (mosquitto's `listener <port>`). */
  host?: string
  /** With host '::', accept IPv6 only (socket_domain ipv6). */
  ipv6Only?: boolean
}

export interface TcpListenSpec extends PortSpec { type?: 'tcp' }
export interface TlsListenSpec extends PortSpec { type: 'tls'; tls: TlsMaterial }
/** MQTT over WebSocket (subprotocol mqtt, any path); with `tls`, over HTTPS (wss://). */
export interface WsListenSpec extends PortSpec { type: 'ws'; tls?: TlsMaterial }
export interface WssListenSpec extends PortSpec { type: 'wss'; tls: TlsMaterial }
export interface UnixListenSpec extends ListenCommon { type?: 'unix'; path: string }
export type ListenSpec = TcpListenSpec | TlsListenSpec | WsListenSpec | WssListenSpec | UnixListenSpec

export type ListenerType = 'tcp' | 'tls' | 'ws' | 'wss' | 'unix'

export interface TcpAddress {
  kind: 'tcp'
  type: Exclude<ListenerType, 'unix'>
  host: string
  port: number
  family: 'IPv4' | 'IPv6'
  /** The listener's id (ClientInfo.listener). */
  id: string
}
export interface UnixAddress { kind: 'unix'; type: 'unix'; path: string; id: string }
export type ListenerAddress = TcpAddress | UnixAddress

/** What a listener hands the broker for each accepted connection. */
export interface AcceptedConnection {
  stream: Duplex
  /** "127.0.0.1:5678", or the socket path. */
  remoteAddress: string
  listener: string
  /** useIdentityAsUsername: the certificate's Common Name (null: the certificate has none). */
  certificateUsername?: string | null
}

export interface ListenerContext {
  accept(c: AcceptedConnection): void
  /** mosquitto's notice lines: opening sockets, refused and failed connections. */
  log(line: string): void
}

/** One listening socket of the broker: TCP, TLS, Unix, or WebSocket (plain or TLS). */
export interface Listener {
  readonly id: string
  listen(): Promise<ListenerAddress>
  address(): ListenerAddress
  /** Stop accepting at once; resolves when every connection it accepted is gone (the rest are destroyed). */
  close(): Promise<void>
}
