package org.decwebrtc.turn.alloc;

import java.net.InetAddress;
import org.decwebrtc.stun.server.FiveTuple;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One client's allocation: its relayed port, its permissions (by peer IP, 300 s) and its channel bindings
 * (0x4000-0x4FFF ↔ peer transport address, 600 s). Written only on the event loop of its client (requests,
 * sweep); the relay socket may live on another loop, which reads what a peer datagram needs (permission, channel
 * by peer, bandwidth): those two maps are concurrent and a channel's expiry is volatile, so that loop always sees
 * a consistent, recent state without a lock. Everything else is the client loop's alone.
 */
public final class Allocation {
    public static final int CHANNEL_MIN = 0x4000;
    /** RFC 8656 §12: 0x4000-0x4FFF. */
    public static final int CHANNEL_MAX = 0x4FFF;
    /** RFC 5766 allowed up to 0x7FFF, and older clients (coturn's, pjnath, re) still pick from there. */
    public static final int CHANNEL_MAX_LEGACY = 0x7FFF;

    /** Outcome of ChannelBind, per RFC 8656 §12 rules. */
    public enum BindResult { OK, BAD_NUMBER, NUMBER_TAKEN, PEER_TAKEN }

    /** A bound channel; mutable expiry so a refresh costs no allocation. */
    public static final class Channel {
        public final int number;
        public final InetSocketAddress peer;
        /** Refreshed on the client's loop, read on the relay's. */
        volatile long expiresAt;

        Channel(int number, InetSocketAddress peer, long expiresAt) {
            this.number = number;
            this.peer = peer;
            this.expiresAt = expiresAt;
        }

        public long expiresAt() {
            return expiresAt;
        }
    }

    private final FiveTuple tuple;
    private final String user;
    private final String username;
    private final Relay relay;
    private final TokenBucket bandwidth;
    private long expiresAt;
    private final Map<InetAddress, Long> permissions = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, Channel> channelsByPeer = new ConcurrentHashMap<>();
    private final Map<Integer, Channel> channels = new HashMap<>();
    private final int channelMax;
    private final java.util.concurrent.atomic.LongAdder livePermissions;
    /** No permission expires before this; sweep skips the walk until then, so its cost follows expiries. */
    private long permissionsSweepAt = Long.MAX_VALUE;
    private long channelsSweepAt = Long.MAX_VALUE;
    private byte[] allocateTransaction;
    private Long reservationToken;

    Allocation(FiveTuple tuple, String user, String username, Relay relay, long expiresAt, TokenBucket bandwidth,
               int channelMax, java.util.concurrent.atomic.LongAdder livePermissions) {
        this.livePermissions = livePermissions;
        this.username = username;
        this.tuple = tuple;
        this.channelMax = channelMax;
        this.user = user;
        this.relay = relay;
        this.expiresAt = expiresAt;
        this.bandwidth = bandwidth;
    }

    public FiveTuple tuple() {
        return tuple;
    }

    /** Who the allocation counts against in the quotas (a REST credential's user part). */
    public String user() {
        return user;
    }

    /** The USERNAME that created it; later requests on the allocation must carry the same (RFC 8656 §5). */
    public String username() {
        return username;
    }

    public Relay relay() {
        return relay;
    }

    /** Remembers the Allocate that created it, so a retransmission gets the same answer instead of 437. */
    public void createdBy(byte[] transactionId, Long reservationToken) {
        this.allocateTransaction = transactionId;
        this.reservationToken = reservationToken;
    }

    public boolean createdBy(byte[] transactionId) {
        return java.util.Arrays.equals(allocateTransaction, transactionId);
    }

    /** The RESERVATION-TOKEN handed out with the allocation (EVEN-PORT with R), or null. */
    public Long reservationToken() {
        return reservationToken;
    }

    public long expiresAt() {
        return expiresAt;
    }

    void expiresAt(long at) {
        this.expiresAt = at;
    }

    public TokenBucket bandwidth() {
        return bandwidth;
    }

    /** Installs or refreshes a permission for the peer's IP (the port is ignored, RFC 8656 §9). */
    public void permit(InetAddress peer, long expiresAt) {
        if (permissions.put(peer, expiresAt) == null) {
            livePermissions.increment();
        }
        permissionsSweepAt = Math.min(permissionsSweepAt, expiresAt);
    }

    /** Whether a permission for that IP is installed (live or not yet swept): installing it again adds none. */
    public boolean hasPermission(InetAddress peer) {
        return permissions.containsKey(peer);
    }

    public boolean permitted(InetAddress peer, long now) {
        Long until = permissions.get(peer);
        return until != null && until > now;
    }

    public int permissionCount() {
        return permissions.size();
    }

    /**
     * Binds or refreshes a channel. A number already bound to another peer, or a peer already bound to another
     * number, is refused (400); the same pair refreshes. A successful bind also refreshes the permission.
     */
    public BindResult bind(int number, InetSocketAddress peer, long channelExpiresAt, long permissionExpiresAt) {
        if (number < CHANNEL_MIN || number > channelMax) {
            return BindResult.BAD_NUMBER;
        }
        Channel existing = channels.get(number);
        Channel byPeer = channelsByPeer.get(peer);
        if (existing != null && !existing.peer.equals(peer)) {
            return BindResult.NUMBER_TAKEN;
        }
        if (byPeer != null && byPeer.number != number) {
            return BindResult.PEER_TAKEN;
        }
        if (existing == null) {
            Channel c = new Channel(number, peer, channelExpiresAt);
            channels.put(number, c);
            channelsByPeer.put(peer, c);
        } else {
            existing.expiresAt = channelExpiresAt;
        }
        channelsSweepAt = Math.min(channelsSweepAt, channelExpiresAt);
        permit(peer.getAddress(), permissionExpiresAt);
        return BindResult.OK;
    }

    /** The live channel with that number, or null. */
    public Channel channel(int number, long now) {
        Channel c = channels.get(number);
        return c != null && c.expiresAt > now ? c : null;
    }

    /** The live channel bound to that peer, or null. */
    public Channel channelFor(InetSocketAddress peer, long now) {
        Channel c = channelsByPeer.get(peer);
        return c != null && c.expiresAt > now ? c : null;
    }

    public int channelCount() {
        return channelsByPeer.size();
    }

    /** Drops expired permissions and channels; memory stays proportional to what is live. */
    void sweep(long now) {
        if (now >= permissionsSweepAt) {
            long next = Long.MAX_VALUE;
            for (Iterator<Long> it = permissions.values().iterator(); it.hasNext(); ) {
                long until = it.next();
                if (until <= now) {
                    it.remove();
                    livePermissions.decrement();
                } else {
                    next = Math.min(next, until);
                }
            }
            permissionsSweepAt = next;
        }
        if (now >= channelsSweepAt) {
            long next = Long.MAX_VALUE;
            for (Iterator<Channel> it = channelsByPeer.values().iterator(); it.hasNext(); ) {
                Channel c = it.next();
                if (c.expiresAt <= now) {
                    it.remove();
                    channels.remove(c.number);
                } else {
                    next = Math.min(next, c.expiresAt);
                }
            }
            channelsSweepAt = next;
        }
    }

    /** The allocation ended: its permissions no longer count. */
    void ended() {
        livePermissions.add(-permissions.size());
        permissions.clear();
    }
}
