package org.decwebrtc.turn;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/** Placeholder until the TURN server lands (issue 5); deploys and does nothing. */
public final class TurnVerticle extends VerticleBase {
    @Override
    public Future<?> start() {
        return Future.succeededFuture();
    }
}
