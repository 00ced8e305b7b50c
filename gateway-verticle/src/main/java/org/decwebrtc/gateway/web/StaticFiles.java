package org.decwebrtc.gateway.web;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * Serves the UI from the classpath folder {@code webroot} (frontend/ is packaged there at build time, so the jar
 * needs nothing at run time). Caching is off: a node upgraded in place must not leave a tab running old modules
 * against a new gateway.
 */
public final class StaticFiles {
    static final String WEBROOT = "webroot";
    /** Only our own scripts run; media and downloads use blob:/mediastream: URLs made by those scripts. */
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
            + "media-src 'self' blob: mediastream:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            + "frame-ancestors 'none'; form-action 'none'";

    private StaticFiles() {
    }

    public static void install(Router router) {
        router.route().handler(ctx -> {
            ctx.response()
                    .putHeader("Cache-Control", "no-store")
                    .putHeader("X-Content-Type-Options", "nosniff")
                    .putHeader("Referrer-Policy", "no-referrer")
                    .putHeader("Content-Security-Policy", CSP);
            ctx.next();
        });
        router.route("/*").handler(StaticHandler.create(WEBROOT)
                .setCachingEnabled(false)
                .setDirectoryListing(false)
                .setIndexPage("index.html"));
    }
}
