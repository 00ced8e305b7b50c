package org.decwebrtc.stun.server;

import org.decwebrtc.stun.testing.AnswerRecordingClient;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.decwebrtc.stun.message.ErrorCode;
import org.decwebrtc.stun.message.MessageType;
import org.decwebrtc.stun.message.StunMessage;
import org.decwebrtc.stun.message.StunParseException;


import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any bytes a client can send, through the decoder and the server's dispatcher (demultiplexing, validation,
 * FINGERPRINT, unknown attributes, Binding, ChannelData): only {@link StunParseException} may leave the decoder,
 * nothing may leave the dispatcher, no handler may fail (the server would answer 500), and whatever the server
 * answers decodes again.
 */
class StunInputFuzzTest {
    private final AnswerRecordingClient client = new AnswerRecordingClient();
    private final Dispatcher dispatcher;
    private long channelDataBytes;

    StunInputFuzzTest() {
        StunHandler[] requests = new StunHandler[0x1000];
        StunHandler[] indications = new StunHandler[0x1000];
        BindingHandler binding = new BindingHandler("decwebrtc");
        requests[MessageType.BINDING] = binding;
        indications[MessageType.BINDING] = binding;
        dispatcher = new Dispatcher(requests, indications, (channel, data, c) -> channelDataBytes += data.readableBytes(),
                new StunMetrics(new SimpleMeterRegistry(), "fuzz"), true);
    }

    @FuzzTest(maxExecutions = 1_000_000)
    void anyBytes(byte[] input) {
        try {
            StunMessage decoded = StunMessage.decode(input);
            // What decodes re-encodes and decodes to the same method and class.
            StunMessage again = StunMessage.decode(decoded.encode(null));
            assertThat(again.method()).isEqualTo(decoded.method());
            assertThat(again.messageClass()).isEqualTo(decoded.messageClass());
        } catch (StunParseException expected) {
            // refused input: the only allowed failure
        }
        client.clear();
        ByteBuf buf = Unpooled.wrappedBuffer(input);
        try {
            dispatcher.dispatch(buf, client);
        } finally {
            buf.release();
        }
        for (StunMessage answer : client.answers()) {
            ErrorCode error = answer.get(ErrorCode.class);
            assertThat(error == null ? 0 : error.code()).as("a handler failed on %s", answer).isNotEqualTo(ErrorCode.SERVER_ERROR);
        }
    }
}
