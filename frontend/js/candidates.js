// @ts-check
// Remote ICE candidates of one peer connection, for 1:1 calls and conference legs alike.

/** A remote user may send candidates before the offer or answer they belong to; more than this are dropped. */
export const MAX_PENDING_CANDIDATES = 200;

/**
 * Holds remote candidates until the connection has a remote description (addIceCandidate throws before that),
 * then hands them over in arrival order. A malformed candidate is logged and skipped: one bad line from the remote
 * user must not end the call.
 */
export class RemoteCandidates {
  /** @param {() => RTCPeerConnection | null | undefined} connection the current peer connection, if any */
  constructor(connection) {
    this.connection = connection;
    /** @type {RTCIceCandidateInit[]} */
    this.pending = [];
  }

  /** @param {RTCIceCandidateInit} candidate */
  async add(candidate) {
    const pc = this.connection();
    if (!pc || !pc.remoteDescription) {
      if (this.pending.length < MAX_PENDING_CANDIDATES) this.pending.push(candidate);
      return;
    }
    try {
      await pc.addIceCandidate(candidate);
    } catch (e) {
      console.warn('bad remote candidate', e);
    }
  }

  /** Hands over what arrived before the remote description; call it right after setting one. */
  async flush() {
    const held = this.pending;
    this.pending = [];
    for (const c of held) await this.add(c);
  }
}
