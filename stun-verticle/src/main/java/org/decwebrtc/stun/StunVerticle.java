package org.decwebrtc.stun;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/** Placeholder until the STUN server lands (issue 4); deploys and does nothing. */
public final class StunVerticle extends VerticleBase {
    @Override
    public Future<?> start() {
        return Future.succeededFuture();
    }
}
