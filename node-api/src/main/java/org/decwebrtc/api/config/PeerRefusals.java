package org.decwebrtc.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Which peer address ranges the TURN relay refuses (each {@code true} by default): a public relay that relays to
 * loopback or private ranges hands the whole internet a way into its host and LAN. {@code allowPeers} reopens
 * single ranges on purpose; these switch a whole category off.
 */
public record PeerRefusals(boolean loopback, boolean unspecified, @JsonProperty("private") boolean privateRanges,
                           boolean linkLocal, boolean cgnat, boolean multicast, boolean reserved) {
    public static final PeerRefusals DEFAULTS = new PeerRefusals(true, true, true, true, true, true, true);
}
