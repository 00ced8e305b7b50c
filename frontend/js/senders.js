// @ts-check
// The audio and video senders of one peer connection, for 1:1 calls and conference legs alike.

/** @typedef {{ audio: RTCRtpSender | null, video: RTCRtpSender | null }} Senders */

/**
 * The answering side: every transceiver the offer brought (one audio, one video) becomes a sending one, so the
 * answer goes out at once; the camera and microphone join later by replaceTrack, with no renegotiation.
 * @param {RTCPeerConnection} pc
 * @param {Senders} senders filled in for each kind that has none yet
 */
export function sendOnOfferedTransceivers(pc, senders) {
  for (const transceiver of pc.getTransceivers()) {
    const kind = transceiver.receiver.track.kind;
    if (!senders[kind]) {
      transceiver.direction = 'sendrecv';
      senders[kind] = transceiver.sender;
    }
  }
}

/**
 * Puts the stream's tracks on the senders; while a screen is shared its video goes out instead of the camera's.
 * A track a sender refuses is logged: the call goes on without it.
 * @param {MediaStream} stream
 * @param {Senders} senders
 * @param {MediaStream | null | undefined} screen
 */
export async function attachTracks(stream, senders, screen) {
  for (const track of stream.getTracks()) {
    const sender = senders[track.kind];
    const live = track.kind === 'video' && screen ? screen.getVideoTracks()[0] : track;
    if (sender) await sender.replaceTrack(live).catch((e) => console.warn('replaceTrack failed', e));
  }
}
