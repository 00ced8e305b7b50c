// @ts-check
// The page's reaction to the call state the gateway reports (the gateway's CallMachine owns the state; the page
// follows it). A pure function, unit-tested in test/callstate.test.js; ui.js applies it to the call.
import { CALL_STATES } from './protocol.js';

const { IDLE, CALLING, RINGING, IN_CALL } = CALL_STATES;

/**
 * What the page does when the state moves from `previous` to `next`.
 * @param {string} previous the state the page showed until now
 * @param {string} next the state in the gateway's call-state message
 */
export function stateChange(previous, next) {
  return {
    /** The call is over: close the RTCPeerConnection and the channels. */
    endCall: next === IDLE,
    /** We place a call: the camera starts now, while it rings at the remote user's. */
    startAsCaller: next === CALLING && previous === IDLE,
    /**
     * A call rings here. If we were calling the same user at that moment, their call won the glare (the gateway
     * keeps the call placed by the smaller name), so our own half-made call goes.
     */
    dropOwnCall: next === RINGING && previous === CALLING,
    /** Fresh TURN credentials before the camera starts or the user accepts. */
    askIceServers: (next === CALLING && previous === IDLE) || next === RINGING,
    /** The call timer starts when the call is answered. */
    startTimer: next === IN_CALL && previous !== IN_CALL,
  };
}
