package org.decwebrtc.gossip;

import org.decwebrtc.gossip.wire.PrivateMessage;
import org.decwebrtc.gossip.wire.RouteRumor;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The exact bytes that are signed for each packet kind. Built field by field (not from protobuf's serialization,
 * which is not canonical) and prefixed with a domain tag so a signature of one kind can't pass as another.
 */
final class SignedBytes {
    private SignedBytes() {
    }

    static byte[] of(RouteRumor rumor) {
        return write(out -> {
            out.writeUTF("decwebrtc-rumor-v1");
            out.writeUTF(rumor.getOrigin());
            out.writeLong(rumor.getSeq());
            out.writeUTF(rumor.getInfo().getStun());
            out.writeUTF(rumor.getInfo().getTurn());
            bytes(out, rumor.getPublicKey().toByteArray());
            bytes(out, rumor.getKexKey().toByteArray());
        });
    }

    static byte[] of(PrivateMessage message) {
        return write(out -> {
            out.writeUTF("decwebrtc-private-v1");
            out.writeUTF(message.getOrigin());
            out.writeUTF(message.getDestination());
            out.writeLong(message.getId());
            bytes(out, message.getPayload().toByteArray());
            out.writeBoolean(message.hasBounce());
            out.writeUTF(message.getBounce().getUndeliveredTo());
            out.writeUTF(message.getBounce().getReason());
            out.writeLong(message.getBounce().getOriginalId());
            out.writeBoolean(message.getEncrypted());
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
