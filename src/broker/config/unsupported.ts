// mosquitto 2.0 directives tsbroker knows but does not implement. Most are a warning (the broker still
// works, just without that tuning). Those that would weaken security if ignored stop the start instead.

/** Ignored with a warning naming file and line. */
export const IGNORED: ReadonlySet<string> = new Set([
  'allow_duplicate_messages', 'bind_interface', 'check_retain_source',
  'ciphers_tls13', 'crlfile', 'dhparamfile', 'http_dir', 'log_facility', 'log_timestamp_format',
  'max_inflight_bytes',
  'persistent_client_expiration', 'psk_hint', 'queue_qos0_messages', 'retained_persistence',
  'retry_interval', 'set_tcp_nodelay', 'tls_engine', 'tls_engine_kpass_sha1', 'tls_keyform',
  'upgrade_outgoing_qos', 'websockets_headers_size', 'websockets_log_level', 'auth_plugin_deny_special_chars',
  // Bridges: the bridge block is ignored as a whole (each of its lines warns).
  'connection', 'address', 'addresses', 'bridge_alpn', 'bridge_attempt_unsubscribe', 'bridge_bind_address',
  'bridge_cafile', 'bridge_capath', 'bridge_certfile', 'bridge_identity', 'bridge_insecure', 'bridge_keyfile',
  'bridge_max_packet_size', 'bridge_outgoing_retain', 'bridge_protocol_version', 'bridge_psk', 'bridge_require_ocsp',
  'bridge_tls_version', 'cleansession', 'clientid', 'idle_timeout', 'keepalive_interval', 'local_cleansession',
  'local_clientid', 'local_password', 'local_username', 'notification_topic', 'notifications',
  'notifications_local_only', 'password', 'remote_clientid', 'remote_password', 'remote_username',
  'restart_timeout', 'round_robin', 'start_type', 'threshold', 'topic', 'try_private', 'username',
])

/**
 * Known, not implemented, and unsafe to ignore: a plugin or PSK file would be the only thing keeping
 * clients out, a mount point or id prefix the only thing keeping them apart.
 */
export const REFUSED: Readonly<Record<string, string>> = {
  auth_plugin: 'tsbroker cannot load mosquitto plugins',
  plugin: 'tsbroker cannot load mosquitto plugins',
  psk_file: 'TLS-PSK is not supported',
  clientid_prefixes: 'client id prefixes are not supported',
  mount_point: 'mount points are not supported',
  use_subject_as_username: 'certificate subjects as usernames are not supported',
  use_username_as_clientid: 'use_username_as_clientid is not supported',
}

/** `auth_opt_*` / `plugin_opt_*` belong to a plugin, which is refused anyway: they only warn. */
export function isPluginOption(name: string): boolean {
  return name.startsWith('auth_opt_') || name.startsWith('plugin_opt_')
}
