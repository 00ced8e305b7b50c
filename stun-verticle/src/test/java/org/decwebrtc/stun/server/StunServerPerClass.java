package org.decwebrtc.stun.server;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.net.InetSocketAddress;
import java.util.function.UnaryOperator;

/** One {@link LocalStunServer} shared by a test class: started before its first test, closed after its last. */
final class StunServerPerClass implements BeforeAllCallback, AfterAllCallback {
    private final UnaryOperator<StunServer.Builder> configure;
    private LocalStunServer local;

    /** {@code configure} as for {@link LocalStunServer#start}. */
    StunServerPerClass(UnaryOperator<StunServer.Builder> configure) {
        this.configure = configure;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        local = LocalStunServer.start(configure);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        local.close();
    }

    StunServer server() {
        return local.server;
    }

    InetSocketAddress address() {
        return local.address;
    }

    Vertx vertx() {
        return local.vertx;
    }
}
