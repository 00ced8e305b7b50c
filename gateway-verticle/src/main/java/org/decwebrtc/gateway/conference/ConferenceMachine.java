package org.decwebrtc.gateway.conference;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.decwebrtc.api.SignalTypes;
import org.decwebrtc.api.TabMessages;
import org.decwebrtc.gateway.call.CallOutbox;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The conferences of one node's user: a full mesh with no server, so every member's node keeps its own roster and
 * the nodes talk pairwise over gossip. A node changes its roster only on what it can vouch for: a join it accepted
 * (from an invited user, while fewer than {@value #MAX_MEMBERS} are in), a welcome from a user it asked, a leave
 * from the leaver itself, a member it stopped hearing from. Media signals of a leg pass only between members of
 * the same conference, both ways. Not thread-safe: the gateway calls it from its event loop only.
 */
public final class ConferenceMachine {
    private static final Logger LOG = Logger.getLogger(ConferenceMachine.class.getName());
    public static final int MAX_MEMBERS = 6;
    /** Conferences remembered for the list; the oldest finished ones are forgotten first. */
    static final int MAX_KEPT = 20;
    static final long PING_MILLIS = 1000;
    /** A member not heard from for this long is gone (its node died or lost its route). */
    static final long SILENCE_MILLIS = 6000;
    /** A bounce for a member not heard from for this long means it is gone. */
    static final long BOUNCE_SILENCE_MILLIS = 2500;
    /** A join that no member answered within this time finds no one in. */
    static final long JOIN_TIMEOUT_MILLIS = 15_000;
    private static final int JOIN_RETRIES = 5;

    private final String self;
    private final CallOutbox out;
    private final Clock clock;
    private final Supplier<String> newId;
    private final BooleanSupplier inCall;
    private final Map<String, Conference> known = new LinkedHashMap<>();
    private Conference current;
    private boolean ticking;
    private long lastTick;
    private long joinGeneration;
    private long droppedSignals;
    /** When each user was last told this node is out of the conference it keeps signaling us for. */
    private final Map<String, Long> toldOut = new java.util.HashMap<>();
    static final long TOLD_OUT_MILLIS = 2000;

    /**
     * @param newId  a fresh random conference id (32 hex digits)
     * @param inCall true while the user is in, or placing/answering, a 1:1 call
     */
    public ConferenceMachine(String self, CallOutbox out, Clock clock, Supplier<String> newId, BooleanSupplier inCall) {
        this.self = self;
        this.out = out;
        this.clock = clock;
        this.newId = newId;
        this.inCall = inCall;
    }

    /** True while the user is in a conference (or joining one): a 1:1 call request then gets "busy". */
    public boolean busy() {
        return current != null;
    }

    /** {@code {conf, title, state, members}} of the current conference, or null; shown by {@code /api/node}. */
    public JsonObject toJson() {
        return current == null ? null : current.roster();
    }

    // ---- the tab ---------------------------------------------------------------------------------------

    public void tabOpened() {
        pushList();
    }

    public void tabClosed() {
        if (current != null) {
            leave(current.id);
        }
        known.values().forEach(c -> c.ringing = false);
    }

    public String start(String rawTitle) {
        if (current != null) {
            return "already in a conference; leave it first";
        }
        if (inCall.getAsBoolean()) {
            return "hang up the call first";
        }
        String id = newId.get();
        Conference c = new Conference(id, ConferenceText.title(rawTitle), self, ConferenceState.STARTED);
        c.members.add(self);
        c.joined = true;
        c.joinedAt = clock.millis();
        keep(c);
        current = c;
        startTicking();
        pushList();
        return null;
    }

    public String invite(String id, String user) {
        Conference c = mine(id);
        if (c == null) {
            return "not in that conference";
        }
        if (!ConferenceText.validName(user) || user.equals(self)) {
            return "not a user to invite: " + user;
        }
        if (!c.invited.contains(user) && c.invited.size() >= ConferenceText.MAX_NAMES) {
            return "too many invitations for one conference";
        }
        c.invited.add(user);
        out.signal(user, c.roster().put("type", SignalTypes.CONF_INVITE));
        // The other members learn whom to take in when that user joins.
        for (String member : others(c)) {
            out.signal(member, c.roster().put("type", SignalTypes.CONF_STATUS));
        }
        pushList();
        return null;
    }

    /** Accept an invitation, or re-enter a conference one declined or left while it is still going on. */
    public String join(String id) {
        Conference c = known.get(id);
        if (c == null) {
            return "no such conference";
        }
        if (current == c) {
            return null;
        }
        if (current != null) {
            return "already in a conference; leave it first";
        }
        if (inCall.getAsBoolean()) {
            return "hang up the call first";
        }
        if (c.state == ConferenceState.TERMINATED) {
            return "that conference is over";
        }
        c.ringing = false;
        c.joined = true;
        c.joinedAt = clock.millis();
        // Ask everyone who might be in: only members answer, so a stale roster costs a few signals, nothing else.
        List<String> ask = new ArrayList<>(c.members);
        ask.addAll(c.invited);
        c.members.clear();
        c.members.add(self);
        c.lastHeard.clear();
        c.contacted.clear();
        c.reportedIn.clear();
        for (String user : ask) {
            if (!user.equals(self) && c.contacted.add(user)) {
                out.signal(user, signal(SignalTypes.CONF_JOIN, c));
            }
        }
        current = c;
        long generation = ++joinGeneration;
        out.after(JOIN_TIMEOUT_MILLIS, () -> {
            if (current == c && joinGeneration == generation && c.members.size() == 1) {
                leaveQuietly(c);
                c.state = ConferenceState.TERMINATED;
                pushList();
                out.tab(notice("no one is in " + label(c) + " any more"));
            }
        });
        startTicking();
        pushList();
        return null;
    }

    public String decline(String id) {
        Conference c = known.get(id);
        if (c == null) {
            return "no such conference";
        }
        if (current == c) {
            return leave(id);
        }
        c.ringing = false;
        for (String user : c.members) {
            if (!user.equals(self)) {
                out.signal(user, signal(SignalTypes.CONF_DECLINE, c));
            }
        }
        pushList();
        return null;
    }

    public String leave(String id) {
        Conference c = mine(id);
        if (c == null) {
            return null; // already out: a late click
        }
        // Members silent for a while are as good as gone: their node may have died a moment ago.
        long now = clock.millis();
        boolean last = others(c).stream()
                .allMatch(m -> now - c.lastHeard.getOrDefault(m, now) > BOUNCE_SILENCE_MILLIS);
        leaveQuietly(c);
        if (last) {
            c.state = ConferenceState.TERMINATED;
            for (String user : c.invited) {
                if (!user.equals(self)) {
                    out.signal(user, c.roster().put("type", SignalTypes.CONF_STATUS));
                }
            }
        }
        pushList();
        return null;
    }

    private void leaveQuietly(Conference c) {
        // Users we asked to take us in may have done so, their welcome still on its way: they are told too, or they
        // would keep a member that is gone.
        Set<String> told = new java.util.LinkedHashSet<>(others(c));
        told.addAll(c.contacted);
        told.remove(self);
        for (String user : told) {
            out.signal(user, signal(SignalTypes.CONF_LEAVE, c));
        }
        c.members.remove(self);
        c.contacted.clear();
        c.reportedIn.clear();
        c.lastHeard.clear();
        c.joined = false;
        current = null;
    }

    /**
     * Offer, answer or candidate for the leg to {@code user}: only to a member of the same conference, or to one this
     * node asked to take it in, the same users whose offers it lets through (an offer may outrun its welcome, and
     * its answer must not be held back for it).
     */
    public String relayFromTab(String type, String id, String user, JsonObject payload) {
        String signalType = switch (type) {
            case TabMessages.FromTab.CONF_OFFER -> SignalTypes.CONF_OFFER;
            case TabMessages.FromTab.CONF_ANSWER -> SignalTypes.CONF_ANSWER;
            case TabMessages.FromTab.CONF_CANDIDATE -> SignalTypes.CONF_CANDIDATE;
            default -> null;
        };
        if (signalType == null) {
            return "not a conference media signal: " + type;
        }
        Conference c = mine(id);
        if (c == null || user == null || user.equals(self) || !mayTalkTo(c, user)) {
            dropped(type + " to " + user, c == null ? "not in that conference" : "not a member");
            return "'" + type + "': " + user + " is not in your conference";
        }
        out.signal(user, payload.copy().put("type", signalType).put("conf", c.id));
        return null;
    }

    /**
     * The page's legs that are connected now. A member whose media reaches the page is alive whatever gossip says:
     * on a loaded machine (six browsers on two cores) signals and their receipts can take longer than the silence
     * and bounce limits, and a member taken off the roster for that would cost a working connection, torn down and
     * negotiated again by machines that are short of time already. Counts as hearing from each such member.
     */
    public String legsFromTab(String id, Set<String> connected) {
        Conference c = mine(id);
        if (c != null) {
            long now = clock.millis();
            for (String user : connected) {
                if (!user.equals(self) && c.members.contains(user)) {
                    c.lastHeard.put(user, now);
                }
            }
        }
        return null;
    }

    /** The page lost its leg to {@code user} (its browser closed, or ICE gave up). */
    public String dropFromTab(String id, String user) {
        Conference c = mine(id);
        if (c != null && user != null && !user.equals(self) && c.members.contains(user)) {
            lose(c, user, user + "'s connection was lost", true);
        }
        return null;
    }

    // ---- the network -----------------------------------------------------------------------------------

    public void onSignal(String from, JsonObject signal) {
        String type = signal != null && signal.getValue("type") instanceof String t ? t : null;
        if (type == null || !SignalTypes.CONFERENCE.contains(type) || !ConferenceText.validName(from)
                || from.equals(self) || !ConferenceText.validId(signal.getValue("conf"))) {
            return;
        }
        String id = signal.getString("conf");
        if (SignalTypes.CONF_INVITE.equals(type)) {
            onInvite(from, signal);
            return;
        }
        Conference c = known.get(id);
        if (c == null) {
            return; // a conference this user was never invited to: nothing to say to a stranger
        }
        if (c.joined && c.members.contains(from)) {
            c.lastHeard.put(from, clock.millis());
        }
        switch (type) {
            case SignalTypes.CONF_JOIN -> onJoin(c, from);
            case SignalTypes.CONF_WELCOME -> onWelcome(c, from, signal);
            case SignalTypes.CONF_FULL -> onFull(c, from);
            case SignalTypes.CONF_LEAVE -> {
                if (c.joined && c.members.contains(from)) {
                    lose(c, from, from + " left " + label(c), false);
                }
            }
            case SignalTypes.CONF_DECLINE -> {
                if (c.joined && c.invited.contains(from)) {
                    out.tab(notice(from + " declined " + label(c)));
                }
            }
            case SignalTypes.CONF_STATUS -> onStatus(c, from, signal);
            case SignalTypes.CONF_OFFER, SignalTypes.CONF_ANSWER, SignalTypes.CONF_CANDIDATE -> {
                // A member, or one this node asked to take it in (its offer may outrun its welcome).
                if (current == c && mayTalkTo(c, from)) {
                    JsonObject toTab = new JsonObject().put("conf", c.id).put("from", from)
                            .put("type", "conf-" + type.substring("conf-".length()));
                    if (signal.getValue("sdp") instanceof String sdp) {
                        toTab.put("sdp", sdp);
                    }
                    if (signal.getValue("candidate") instanceof JsonObject candidate) {
                        toTab.put("candidate", candidate);
                    }
                    if (ConferenceText.validLeg(signal.getValue("leg"))) {
                        toTab.put("leg", signal.getString("leg"));
                    }
                    out.tab(toTab);
                } else {
                    dropped(type + " from " + from, current == c ? "not a member" : "not in that conference");
                    tellOut(c, from);
                }
            }
            case SignalTypes.CONF_PING -> tellOut(c, from);
            default -> {
            }
        }
    }

    private void onInvite(String from, JsonObject signal) {
        String id = signal.getString("conf");
        Set<String> members = ConferenceText.names(signal.getValue("members"));
        Set<String> invited = ConferenceText.names(signal.getValue("invited"));
        Object starter = signal.getValue("starter");
        // Only a member may invite, and only into a roster that names us.
        if (!members.contains(from) || !invited.contains(self) || !ConferenceText.validName(starter)) {
            return;
        }
        Conference c = known.get(id);
        if (c == null) {
            ConferenceState state = ConferenceState.fromText(signal.getString("state"));
            c = new Conference(id, ConferenceText.title(signal.getValue("title")), (String) starter,
                    state == ConferenceState.TERMINATED || state == null ? ConferenceState.STARTED : state);
            keep(c);
        } else if (!c.involves(from)) {
            return;
        }
        if (c.joined) {
            return;
        }
        c.mergeInvited(invited);
        c.members.clear();
        c.members.addAll(members);
        if (c.state == ConferenceState.TERMINATED) {
            return;
        }
        c.ringing = current == null && !inCall.getAsBoolean();
        if (!c.ringing) {
            out.tab(notice(from + " invited you to " + label(c) + " while you were busy"));
        }
        pushList();
    }

    private void onJoin(Conference c, String from) {
        if (current != c || !c.invited.contains(from)) {
            return; // not ours to answer, or a stranger knocking
        }
        if (c.members.contains(from)) {
            out.signal(from, c.roster().put("type", SignalTypes.CONF_WELCOME)); // a repeated join: same answer
            return;
        }
        if (c.members.size() >= MAX_MEMBERS) {
            out.signal(from, signal(SignalTypes.CONF_FULL, c));
            return;
        }
        c.members.add(from);
        c.contacted.remove(from);
        c.lastHeard.put(from, clock.millis());
        c.state = ConferenceState.ACTIVE;
        out.signal(from, c.roster().put("type", SignalTypes.CONF_WELCOME));
        out.tab(notice(from + " joined " + label(c)));
        membersChanged(c);
    }

    private void onWelcome(Conference c, String from, JsonObject signal) {
        if (current != c || !c.contacted.remove(from)) {
            return; // we did not ask: a forged roster
        }
        if (c.members.size() >= MAX_MEMBERS) {
            out.signal(from, signal(SignalTypes.CONF_LEAVE, c));
            return;
        }
        c.members.add(from);
        c.lastHeard.put(from, clock.millis());
        c.state = ConferenceState.ACTIVE;
        c.mergeInvited(ConferenceText.names(signal.getValue("invited")));
        // Members we did not know of are asked too; they answer only if they really are in. One we asked already
        // is asked again: it may have dropped our first join because it had not yet heard we were invited.
        for (String member : ConferenceText.names(signal.getValue("members"))) {
            if (!member.equals(self) && !c.members.contains(member) && c.invited.contains(member)) {
                c.contacted.add(member);
                c.reportedIn.putIfAbsent(member, 0);
                out.signal(member, signal(SignalTypes.CONF_JOIN, c));
            }
        }
        membersChanged(c);
    }

    private void onFull(Conference c, String from) {
        if (current != c || !c.contacted.contains(from)) {
            return;
        }
        // Six are in: whoever already took us in is told we are going again.
        leaveQuietly(c);
        pushList();
        out.tab(notice(label(c) + " is full: " + MAX_MEMBERS + " people are in"));
    }

    private void onStatus(Conference c, String from, JsonObject signal) {
        if (!c.involves(from)) {
            return;
        }
        if (c.joined) {
            if (c.members.contains(from)) {
                c.mergeInvited(ConferenceText.names(signal.getValue("invited")));
                pushList();
            }
            return;
        }
        if (c.state == ConferenceState.TERMINATED) {
            return; // final
        }
        c.mergeInvited(ConferenceText.names(signal.getValue("invited")));
        ConferenceState state = ConferenceState.fromText(signal.getString("state"));
        if (state != null && (state != ConferenceState.STARTED || c.state == ConferenceState.STARTED)) {
            c.state = state;
        }
        c.members.clear();
        c.members.addAll(ConferenceText.names(signal.getValue("members")));
        if (c.state == ConferenceState.TERMINATED) {
            c.ringing = false;
        }
        pushList();
    }

    /**
     * One of our signals could not be routed. Routes come and go with gossip refreshes on a loaded machine, so one
     * bounce proves nothing: a member we cannot reach is lost only once it has also been silent for a while.
     */
    public void onUndeliverable(String to, String reason, String signalType) {
        Conference c = current;
        if (c != null && signalType != null && SignalTypes.CONFERENCE.contains(signalType) && c.members.contains(to)
                && !to.equals(self)
                && clock.millis() - c.lastHeard.getOrDefault(to, clock.millis()) > BOUNCE_SILENCE_MILLIS) {
            lose(c, to, "cannot reach " + to + (reason == null ? "" : ": " + reason), true);
        }
    }

    // ---- liveness --------------------------------------------------------------------------------------

    private void startTicking() {
        if (!ticking) {
            ticking = true;
            lastTick = 0;
            out.after(PING_MILLIS, this::tick);
        }
    }

    void tick() {
        Conference c = current;
        if (c == null) {
            ticking = false;
            return;
        }
        long now = clock.millis();
        // A tick that comes late means this node was stalled (a loaded machine, a long pause): the members' pings
        // waited too, so the time it lost is not their silence.
        long late = lastTick == 0 ? 0 : now - lastTick - PING_MILLIS;
        lastTick = now;
        if (late > PING_MILLIS) {
            c.lastHeard.replaceAll((member, heard) -> heard + late);
        }
        if (c.members.size() == 1 && !c.contacted.isEmpty()) {
            // No one has taken us in yet: a join may have been lost, or reached a member before our invitation.
            for (String user : c.contacted) {
                out.signal(user, signal(SignalTypes.CONF_JOIN, c));
            }
        }
        c.reportedIn.entrySet().removeIf(e -> !c.contacted.contains(e.getKey()) || e.getValue() >= JOIN_RETRIES);
        c.reportedIn.replaceAll((user, tries) -> {
            out.signal(user, signal(SignalTypes.CONF_JOIN, c));
            return tries + 1;
        });
        for (String member : others(c)) {
            long heard = c.lastHeard.getOrDefault(member, now);
            if (now - heard > SILENCE_MILLIS) {
                lose(c, member, member + " stopped answering (node gone?)", true);
            } else {
                out.signal(member, signal(SignalTypes.CONF_PING, c));
            }
        }
        out.after(PING_MILLIS, this::tick);
    }

    /**
     * @param mayComeBack lost without a leave (silence, a bounce, a dead leg): on a loaded machine that can be a
     *                    stall of either node, so it is asked to take us in again for a few seconds; a node that
     *                    is really gone never answers, one that is alive heals the mesh
     */
    private void lose(Conference c, String user, String why, boolean mayComeBack) {
        c.members.remove(user);
        c.lastHeard.remove(user);
        if (mayComeBack && c.invited.contains(user)) {
            c.contacted.add(user);
            c.reportedIn.put(user, 0);
        }
        out.tab(notice(why));
        membersChanged(c);
    }

    /** The new roster goes to the tab, and to invited users who are out (for their lists) from one member only. */
    private void membersChanged(Conference c) {
        pushList();
        String smallest = c.members.stream().min(String::compareTo).orElse(self);
        if (smallest.equals(self)) {
            for (String user : c.invited) {
                if (!c.members.contains(user) && !c.contacted.contains(user)) {
                    out.signal(user, c.roster().put("type", SignalTypes.CONF_STATUS));
                }
            }
        }
    }

    /**
     * A user keeps signaling (pings, media) for a conference this node is not in: it still lists us, say because
     * our join gave up before its welcome came, or our leave was lost. It is told we are out, at most every
     * {@value #TOLD_OUT_MILLIS} ms, so it drops us instead of offering to a node that will never answer.
     */
    private void tellOut(Conference c, String from) {
        if ((current == c && c.joined) || !c.involves(from)) {
            return;
        }
        long now = clock.millis();
        Long last = toldOut.get(from);
        if (last != null && now - last < TOLD_OUT_MILLIS) {
            return;
        }
        if (toldOut.size() >= 100) {
            toldOut.clear();
        }
        toldOut.put(from, now);
        out.signal(from, signal(SignalTypes.CONF_LEAVE, c));
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    /** Media signals of a leg pass between members, and with users this node asked to take it in. */
    private static boolean mayTalkTo(Conference c, String user) {
        return c.members.contains(user) || c.contacted.contains(user);
    }

    /**
     * A media signal that is not passed on is never dropped silently: counted, and logged (the 1st, 2nd, 4th, 8th…
     * at INFO, so a tab that insists cannot flood the log).
     */
    private void dropped(String what, String why) {
        droppedSignals++;
        long count = droppedSignals;
        LOG.log(Long.bitCount(count) == 1 ? java.util.logging.Level.INFO : java.util.logging.Level.FINE,
                () -> self + ": dropped conference signal " + what + " (" + why + "), " + count + " so far");
    }

    /** Media signals (offers, answers, candidates) this node refused to pass, either way, since it started. */
    public long droppedSignals() {
        return droppedSignals;
    }

    private Conference mine(String id) {
        return current != null && current.id.equals(id) && current.joined ? current : null;
    }

    private List<String> others(Conference c) {
        return c.members.stream().filter(m -> !m.equals(self)).toList();
    }

    private void keep(Conference c) {
        known.put(c.id, c);
        Iterator<Conference> oldest = known.values().iterator();
        while (known.size() > MAX_KEPT && oldest.hasNext()) {
            Conference candidate = oldest.next();
            if (candidate != current && candidate != c) {
                oldest.remove();
            }
        }
    }

    private void pushList() {
        JsonArray list = new JsonArray();
        known.values().forEach(c -> list.add(c.toTab()));
        out.tab(new JsonObject().put("type", TabMessages.ToTab.CONF_LIST).put("current", current == null ? null : current.id)
                .put("conferences", list));
    }

    private static String label(Conference c) {
        return c.title.isEmpty() ? c.starter + "'s conference" : "\"" + c.title + "\"";
    }

    private static JsonObject signal(String type, Conference c) {
        return new JsonObject().put("type", type).put("conf", c.id);
    }

    private static JsonObject notice(String text) {
        return new JsonObject().put("type", TabMessages.ToTab.NOTICE).put("message", text);
    }
}
