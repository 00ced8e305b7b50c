package org.decwebrtc.turn;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import org.decwebrtc.api.config.NodeConfig;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A TURN server alone, configured by a JSON file shaped like the deployment config of a node
 * ({@link NodeConfig}: {@code name, bind, dataDir, stun{port}, turn{...}}, anything left out at its default), with
 * every TURN setting reachable (bandwidth cap, quotas, ...). Used by the benchmark and by operators who want a
 * relay without the rest of the node. Runs until killed.
 */
public final class TurnMain {
    private TurnMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: TurnMain <config.json>");
            System.exit(2);
        }
        NodeConfig config;
        try {
            config = NodeConfig.fromJson(new JsonObject(Files.readString(Path.of(args[0]))));
        } catch (IllegalArgumentException e) {
            System.err.println("turn: " + e.getMessage());
            System.exit(2);
            return;
        }
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        vertx.deployVerticle(new TurnVerticle(), new DeploymentOptions().setConfig(config.toJson()))
                .onSuccess(id -> System.out.println("turn: ready on " + config.bind() + ":"
                        + config.stun().port() + " (native transport " + vertx.isNativeTransportEnabled() + ")"))
                .onFailure(e -> {
                    System.err.println("turn: cannot start: " + e.getMessage());
                    vertx.close();
                    System.exit(1);
                });
    }
}
