// MQTT reason codes (v5) and CONNACK return codes (v3.1/3.1.1), with mosquitto's human names.

export const RC = {
  SUCCESS: 0x00,
  GRANTED_QOS_1: 0x01,
  GRANTED_QOS_2: 0x02,
  DISCONNECT_WITH_WILL: 0x04,
  NO_MATCHING_SUBSCRIBERS: 0x10,
  NO_SUBSCRIPTION_EXISTED: 0x11,
  CONTINUE_AUTHENTICATION: 0x18,
  REAUTHENTICATE: 0x19,
  UNSPECIFIED_ERROR: 0x80,
  MALFORMED_PACKET: 0x81,
  PROTOCOL_ERROR: 0x82,
  IMPLEMENTATION_SPECIFIC_ERROR: 0x83,
  UNSUPPORTED_PROTOCOL_VERSION: 0x84,
  CLIENT_IDENTIFIER_NOT_VALID: 0x85,
  BAD_USERNAME_OR_PASSWORD: 0x86,
  NOT_AUTHORIZED: 0x87,
  SERVER_UNAVAILABLE: 0x88,
  SERVER_BUSY: 0x89,
  BANNED: 0x8a,
  SERVER_SHUTTING_DOWN: 0x8b,
  BAD_AUTHENTICATION_METHOD: 0x8c,
  KEEP_ALIVE_TIMEOUT: 0x8d,
  SESSION_TAKEN_OVER: 0x8e,
  TOPIC_FILTER_INVALID: 0x8f,
  TOPIC_NAME_INVALID: 0x90,
  PACKET_ID_IN_USE: 0x91,
  PACKET_ID_NOT_FOUND: 0x92,
  RECEIVE_MAXIMUM_EXCEEDED: 0x93,
  TOPIC_ALIAS_INVALID: 0x94,
  PACKET_TOO_LARGE: 0x95,
  MESSAGE_RATE_TOO_HIGH: 0x96,
  QUOTA_EXCEEDED: 0x97,
  ADMINISTRATIVE_ACTION: 0x98,
  PAYLOAD_FORMAT_INVALID: 0x99,
  RETAIN_NOT_SUPPORTED: 0x9a,
  QOS_NOT_SUPPORTED: 0x9b,
  USE_ANOTHER_SERVER: 0x9c,
  SERVER_MOVED: 0x9d,
  SHARED_SUBSCRIPTIONS_NOT_SUPPORTED: 0x9e,
  CONNECTION_RATE_EXCEEDED: 0x9f,
  MAXIMUM_CONNECT_TIME: 0xa0,
  SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED: 0xa1,
  WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED: 0xa2,
} as const

/** v3.1/3.1.1 CONNACK return codes. */
export const CONNACK_V3 = {
  ACCEPTED: 0,
  UNACCEPTABLE_PROTOCOL_VERSION: 1,
  IDENTIFIER_REJECTED: 2,
  SERVER_UNAVAILABLE: 3,
  BAD_USERNAME_OR_PASSWORD: 4,
  NOT_AUTHORIZED: 5,
} as const

const V5_NAMES: Readonly<Record<number, string>> = {
  0: 'Success', 1: 'Granted QoS 1', 2: 'Granted QoS 2', 4: 'Disconnect with Will Message',
  16: 'No matching subscribers', 17: 'No subscription existed', 24: 'Continue authentication',
  25: 'Re-authenticate', 128: 'Unspecified error', 129: 'Malformed Packet', 130: 'Protocol Error',
  131: 'Implementation specific error', 132: 'Unsupported Protocol Version',
  133: 'Client Identifier not valid', 134: 'Bad User Name or Password', 135: 'Not authorized',
  136: 'Server unavailable', 137: 'Server busy', 138: 'Banned', 139: 'Server shutting down',
  140: 'Bad authentication method', 141: 'Keep Alive timeout', 142: 'Session taken over',
  143: 'Topic Filter invalid', 144: 'Topic Name invalid', 145: 'Packet Identifier in use',
  146: 'Packet Identifier not found', 147: 'Receive Maximum exceeded', 148: 'Topic Alias invalid',
  149: 'Packet too large', 150: 'Message rate too high', 151: 'Quota exceeded',
  152: 'Administrative action', 153: 'Payload format invalid', 154: 'Retain not supported',
  155: 'QoS not supported', 156: 'Use another server', 157: 'Server moved',
  158: 'Shared Subscriptions not supported', 159: 'Connection rate exceeded',
  160: 'Maximum connect time', 161: 'Subscription identifiers not supported',
  162: 'Wildcard Subscriptions not supported',
}

/** mosquitto_reason_string(): the v5 reason code in words. */
export function reasonName(code: number): string {
  return V5_NAMES[code] ?? 'Unknown reason'
}

const V3_CONNACK: readonly string[] = [
  'Connection Accepted.',
  'Connection Refused: unacceptable protocol version.',
  'Connection Refused: identifier rejected.',
  'Connection Refused: broker unavailable.',
  'Connection Refused: bad user name or password.',
  'Connection Refused: not authorised.',
]

/** mosquitto_connack_string(): a v3 CONNACK return code in words. */
export function connackV3Name(code: number): string {
  return V3_CONNACK[code] ?? 'Connection Refused: unknown reason.'
}

/** The v3 CONNACK code closest to a v5 reason code (used when refusing a v3 client). */
export function v5ToV3Connack(code: number): number {
  switch (code) {
    case RC.SUCCESS: return 0
    case RC.UNSUPPORTED_PROTOCOL_VERSION: return 1
    case RC.CLIENT_IDENTIFIER_NOT_VALID: return 2
    case RC.SERVER_UNAVAILABLE: case RC.SERVER_BUSY: case RC.SERVER_SHUTTING_DOWN: return 3
    case RC.BAD_USERNAME_OR_PASSWORD: return 4
    default: return 5
  }
}
