package org.decwebrtc.gateway.access;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The gateway's door: every request must name an allowed host, and everything that acts for the user (the status
 * API and the tab's WebSocket) must carry the access token. The page itself (HTML, scripts, styles) is served
 * without the token: it holds no secret, and it reads the token from the link the user opened.
 */
public final class AccessGuard {
    private final AccessToken token;
    private final HostAllowList hosts;

    public AccessGuard(AccessToken token, HostAllowList hosts) {
        this.token = token;
        this.hosts = hosts;
    }

    /** Installs the checks ahead of every route; {@code protectedPaths} are those that need the token. */
    public void install(Router router, String... protectedPaths) {
        router.route().order(-100).handler(this::checkHost);
        for (String path : protectedPaths) {
            router.route(path).order(-99).handler(this::checkToken);
        }
    }

    private void checkHost(RoutingContext ctx) {
        String host = ctx.request().getHeader("Host");
        if (!hosts.allowed(host)) {
            refuse(ctx, "Host " + (host == null ? "missing" : "'" + printable(host) + "'")
                    + " is not a name of this gateway (add it with -guiHosts)");
            return;
        }
        ctx.next();
    }

    private void checkToken(RoutingContext ctx) {
        if (!token.presentIn(ctx.request())) {
            refuse(ctx, "access token missing or wrong: open the link the node printed (https://…/#k=…), or send "
                    + "?k=<token> or 'Authorization: Bearer <token>'; the token is in <dataDir>/" + AccessToken.FILE);
            return;
        }
        ctx.next();
    }

    private static void refuse(RoutingContext ctx, String why) {
        ctx.response().setStatusCode(403).putHeader("content-type", "text/plain; charset=utf-8")
                .putHeader("Cache-Control", "no-store").end("403 forbidden: " + why + "\n");
    }

    private static String printable(String text) {
        String cut = text.length() > 80 ? text.substring(0, 80) + "…" : text;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
