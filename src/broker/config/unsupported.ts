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
])

/**
 * Known, not implemented, and unsafe to ignore: a plugin or PSK file would be the only thing keeping
 * clients out, a mount point or id prefix the only thing keeping them apart, a bridge's PSK or OCSP the only
 * thing protecting its connection.
 */
export const REFUSED: Readonly<Record<string, string>> = {
  auth_plugin: 'tsbroker cannot load mosquitto plugins',
  plugin: 'tsbroker cannot load mosquitto plugins',
  psk_file: 'TLS-PSK is not supported',
  clientid_prefixes: 'client id prefixes are not supported',
  mount_point: 'mount points are not supported',
  use_subject_as_username: 'certificate subjects as usernames are not supported',
  use_username_as_clientid: 'use_username_as_clientid is not supported',
  // a bridge told to use these would otherwise connect without them: in the clear, or without the OCSP check
  bridge_identity: 'TLS-PSK bridges are not supported',
  bridge_psk: 'TLS-PSK bridges are not supported',
  bridge_require_ocsp: 'OCSP for bridges is not supported',
}

/** `auth_opt_*` / `plugin_opt_*` belong to a plugin, which is refused anyway: they only warn. */
export function isPluginOption(name: string): boolean {
  return name.startsWith('auth_opt_') || name.startsWith('plugin_opt_')
}
