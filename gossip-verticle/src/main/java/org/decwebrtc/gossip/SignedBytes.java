package org.decwebrtc.gossip;

import org.decwebrtc.gossip.wire.LinkRecord;
import org.decwebrtc.gossip.wire.PrivateMessage;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The exact bytes that are signed for each packet kind. Built field by field (not from protobuf's serialization,
 * which is not canonical and would carry unknown fields) and prefixed with a domain tag so a signature of one kind
 * can't pass as another.
 */
final class SignedBytes {
    private SignedBytes() {
    }

    static byte[] of(LinkRecord record) {
        return write(out -> {
            out.writeUTF("decwebrtc-record-v2");
            out.writeUTF(record.getOrigin());
            out.writeLong(record.getSeq());
            out.writeUTF(record.getInfo().getStun());
            out.writeUTF(record.getInfo().getTurn());
            bytes(out, record.getPublicKey().toByteArray());
            bytes(out, record.getKexKey().toByteArray());
            out.writeInt(record.getNeighboursCount());
            for (String n : record.getNeighboursList()) {
                out.writeUTF(n);
            }
        });
    }

    static byte[] of(PrivateMessage message) {
        return write(out -> {
            out.writeUTF("decwebrtc-private-v2");
            out.writeUTF(message.getOrigin());
            out.writeUTF(message.getDestination());
            out.writeLong(message.getId());
            out.writeLong(message.getTimestamp());
            out.writeInt(message.getKindValue());
            bytes(out, message.getPayload().toByteArray());
            out.writeBoolean(message.hasBounce());
            out.writeUTF(message.getBounce().getUndeliveredTo());
            out.writeUTF(message.getBounce().getReason());
            out.writeLong(message.getBounce().getOriginalId());
        });
    }

    /** What a Join signs: the receiver's cookie (bound to the sender's address) and the sender's own cookie. */
    static byte[] ofJoin(byte[] cookie, byte[] myCookie, String origin) {
        return write(out -> {
            out.writeUTF("decwebrtc-join-v2");
            bytes(out, cookie);
            bytes(out, myCookie);
            out.writeUTF(origin);
        });
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] write(Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void bytes(DataOutputStream out, byte[] data) throws IOException {
        out.writeInt(data.length);
        out.write(data);
    }
}
