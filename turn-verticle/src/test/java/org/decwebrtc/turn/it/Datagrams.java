package org.decwebrtc.turn.it;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.SocketTimeoutException;

/** What the data-path tests send and read on plain JDK sockets, so they share no code with the server. */
final class Datagrams {

    private Datagrams() {
    }

    /** A ChannelData message (RFC 8656 §12.4): channel number, length, payload, no padding on UDP. */
    static byte[] channelData(int channel, byte[] payload) {
        byte[] out = new byte[4 + payload.length];
        out[0] = (byte) (channel >> 8);
        out[1] = (byte) channel;
        out[2] = (byte) (payload.length >> 8);
        out[3] = (byte) payload.length;
        System.arraycopy(payload, 0, out, 4, payload.length);
        return out;
    }

    /** The next datagram, or null when none came within the socket's timeout. */
    static DatagramPacket receive(DatagramSocket s) throws Exception {
        DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
        try {
            s.receive(p);
            return p;
        } catch (SocketTimeoutException e) {
            return null;
        }
    }
}
