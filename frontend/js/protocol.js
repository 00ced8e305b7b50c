// @ts-check
// The tab <-> gateway WebSocket protocol: every message type and call state the page sends or reads.
// The Java side is node-api org.decwebrtc.api.TabMessages (FromTab, ToTab, CallStates): same constant names, same
// values, checked by gateway-verticle's TabProtocolContractTest. Adding a message: one constant there, one line
// here, one row in docs/PROTOCOLS.md. Fields of each message are described in docs/PROTOCOLS.md.

/** The WebSocket's path on the gateway. */
export const WS_PATH = '/ws';
/** The gateway answers larger messages with an error. */
export const MAX_MESSAGE_BYTES = 256 * 1024;

/** Messages the tab sends to its gateway. */
export const FROM_TAB = Object.freeze({
  CALL: 'call',
  ACCEPT: 'accept',
  REJECT: 'reject',
  LEAVE: 'leave',
  OFFER: 'offer',
  ANSWER: 'answer',
  CANDIDATE: 'candidate',
  ICE_SERVERS: 'ice-servers',
  ADD_PEER: 'add-peer',
  PING: 'ping',
  CONF_START: 'conf-start',
  CONF_INVITE: 'conf-invite',
  CONF_JOIN: 'conf-join',
  CONF_DECLINE: 'conf-decline',
  CONF_LEAVE: 'conf-leave',
  CONF_OFFER: 'conf-offer',
  CONF_ANSWER: 'conf-answer',
  CONF_CANDIDATE: 'conf-candidate',
  CONF_DROP: 'conf-drop',
  CONF_LEGS: 'conf-legs',
  VERIFY: 'verify',
  ACCEPT_KEY: 'accept-key',
});

/** Messages the gateway sends to its tab. */
export const TO_TAB = Object.freeze({
  HELLO: 'hello',
  ALREADY_OPEN: 'already-open',
  DIRECTORY: 'directory',
  CALL_STATE: 'call-state',
  OFFER: 'offer',
  ANSWER: 'answer',
  CANDIDATE: 'candidate',
  ICE_SERVERS: 'ice-servers',
  PEER_ADDED: 'peer-added',
  NOTICE: 'notice',
  ERROR: 'error',
  PONG: 'pong',
  CONF_LIST: 'conf-list',
  CONF_OFFER: 'conf-offer',
  CONF_ANSWER: 'conf-answer',
  CONF_CANDIDATE: 'conf-candidate',
});

/** The `state` of a `call-state` message. */
export const CALL_STATES = Object.freeze({
  IDLE: 'idle',
  CALLING: 'calling',
  RINGING: 'ringing',
  IN_CALL: 'in-call',
});

/** The `state` of a conference in `conf-list`. */
export const CONFERENCE_STATES = Object.freeze({
  STARTED: 'started',
  ACTIVE: 'active',
  TERMINATED: 'terminated',
});

/** What call-state shows while the user is in a conference. */
export const IN_CONFERENCE = 'in-conference';

// Browser to browser, over the call's negotiated DataChannels; the gateway never sees these.

/** DataChannel labels and their negotiated ids (both sides create them, no in-band announcement). */
export const DATA_CHANNELS = Object.freeze({
  CHAT: Object.freeze({ label: 'chat', id: 0 }),
  FILES: Object.freeze({ label: 'files', id: 1 }),
  /** Link probe pings and the degradation ladder's step (callquality.js); unordered, no retransmits. */
  LINK: Object.freeze({ label: 'link', id: 2 }),
});

/**
 * The `t` of the JSON messages on the `link` channel: the link probe (`ping`/`pong`), the degradation ladder's step
 * (`level`, callquality.js) and whether the sender's microphone and camera are on (`media`, mediastate.js).
 */
export const LINK_MESSAGES = Object.freeze({
  PING: 'ping',
  PONG: 'pong',
  LEVEL: 'level',
  MEDIA: 'media',
});

/**
 * A files channel that closed during the call is re-opened by both sides on the next id from here (1024, 1025,
 * ...; above every id of DATA_CHANNELS): the closed stream's last messages, still in flight, then go nowhere
 * instead of into the new one.
 */
export const FILES_REOPENED_FIRST_ID = 1024;

/**
 * The `kind` of the JSON messages on the files channel (file contents travel as binary messages). The protocol
 * and each message's fields are described in files.js and docs/PROTOCOLS.md.
 */
export const FILE_MESSAGES = Object.freeze({
  HELLO: 'hello',
  OFFER: 'offer',
  ACCEPT: 'accept',
  DECLINE: 'decline',
  PIECE: 'piece',
  ACK: 'ack',
  END: 'end',
  DONE: 'done',
  FAIL: 'fail',
  CANCEL: 'cancel',
});
