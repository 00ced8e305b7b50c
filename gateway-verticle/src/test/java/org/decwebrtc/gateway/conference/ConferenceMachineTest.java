package org.decwebrtc.gateway.conference;

import org.decwebrtc.gateway.testing.SettableClock;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.decwebrtc.gateway.call.CallOutbox;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Several nodes' conference machines on a simulated network that delivers signals in order, and a malicious one. */
class ConferenceMachineTest {
    private static final String ID = "0123456789abcdef0123456789abcdef";

    private record Sent(String from, String to, JsonObject signal) {
    }

    private final SettableClock clock = new SettableClock();
    private final Map<String, ConferenceMachine> nodes = new LinkedHashMap<>();
    private final Map<String, List<JsonObject>> tabs = new HashMap<>();
    private final Deque<Sent> wire = new ArrayDeque<>();
    private final List<Sent> log = new ArrayList<>();
    private record Timer(long due, Runnable action) {
    }

    private final List<Timer> timers = new ArrayList<>();
    /** Nodes whose signals are lost (a dead node). */
    private final Set<String> dead = new HashSet<>();
    /** One-way losses, "from>to": a loaded machine may be late one way only. */
    private final Set<String> cut = new HashSet<>();
    private int ids;

    private ConferenceMachine node(String name) {
        tabs.put(name, new ArrayList<>());
        ConferenceMachine machine = new ConferenceMachine(name, new CallOutbox() {
            @Override
            public void signal(String to, JsonObject signal) {
                Sent sent = new Sent(name, to, signal.copy());
                log.add(sent);
                wire.add(sent);
            }

            @Override
            public void tab(JsonObject message) {
                tabs.get(name).add(message);
            }

            @Override
            public void after(long millis, Runnable action) {
                timers.add(new Timer(clock.millis() + millis, action));
            }
        }, clock, () -> ids++ == 0 ? ID : String.format("%032x", ids), () -> false);
        machine.tabOpened();
        nodes.put(name, machine);
        return machine;
    }

    private void deliver() {
        while (!wire.isEmpty()) {
            Sent s = wire.poll();
            ConferenceMachine to = nodes.get(s.to());
            if (to != null && !dead.contains(s.to()) && !dead.contains(s.from()) && !cut.contains(s.from() + ">" + s.to())) {
                to.onSignal(s.from(), s.signal());
            }
        }
    }

    private void seconds(int n) {
        for (int i = 0; i < n; i++) {
            clock.advance(1000);
            List<Timer> due = timers.stream().filter(t -> t.due() <= clock.millis()).toList();
            timers.removeAll(due);
            due.forEach(t -> t.action().run());
            deliver();
        }
    }

    private JsonObject list(String name) {
        return tabs.get(name).stream().filter(m -> "conf-list".equals(m.getString("type"))).reduce((a, b) -> b)
                .orElseThrow();
    }

    private JsonObject entry(String name) {
        JsonArray all = list(name).getJsonArray("conferences");
        return all.stream().map(JsonObject.class::cast).filter(c -> ID.equals(c.getString("conf"))).findFirst()
                .orElse(null);
    }

    private List<Object> members(String name) {
        return entry(name).getJsonArray("members").getList();
    }

    private List<JsonObject> tabMessages(String name, String type) {
        return tabs.get(name).stream().filter(m -> type.equals(m.getString("type"))).toList();
    }

    private void startWith(String starter, String... invitees) {
        assertThat(nodes.get(starter).start("weekly")).isNull();
        for (String user : invitees) {
            assertThat(nodes.get(starter).invite(ID, user)).isNull();
        }
        deliver();
    }

    /** alice, bob and carol on nodes of their own; alice starts the conference and invites the other two. */
    private void aliceInvitesBobAndCarol() {
        for (String n : List.of("alice", "bob", "carol")) {
            node(n);
        }
        startWith("alice", "bob", "carol");
    }

    /** As {@link #aliceInvitesBobAndCarol}, and both join. */
    private void aliceBobAndCarolIn() {
        aliceInvitesBobAndCarol();
        nodes.get("bob").join(ID);
        nodes.get("carol").join(ID);
        deliver();
    }

    @Test
    void startInviteJoinBuildsTheSameRosterEverywhere() {
        for (String n : List.of("alice", "bob", "carol", "dave")) {
            node(n);
        }
        startWith("alice", "bob", "carol", "dave");
        assertThat(entry("alice").getString("state")).isEqualTo("started");
        assertThat(entry("bob").getBoolean("ringing")).isTrue();
        assertThat(entry("bob").getString("title")).isEqualTo("weekly");
        assertThat(entry("bob").getJsonArray("members").getList()).containsExactly("alice");

        nodes.get("bob").join(ID);
        deliver();
        nodes.get("carol").join(ID);
        nodes.get("dave").join(ID); // at the same instant as carol
        deliver();
        for (String n : List.of("alice", "bob", "carol", "dave")) {
            assertThat(members(n)).as(n).containsExactlyInAnyOrder("alice", "bob", "carol", "dave");
            assertThat(entry(n).getString("state")).isEqualTo("active");
            assertThat(list(n).getString("current")).isEqualTo(ID);
        }
    }

    @Test
    void mediaSignalsPassOnlyBetweenMembersOfTheSameConference() {
        for (String n : List.of("alice", "bob", "carol", "mallory")) {
            node(n);
        }
        startWith("alice", "bob", "carol");
        nodes.get("bob").join(ID);
        deliver();
        assertThat(nodes.get("alice").relayFromTab("conf-offer", ID, "bob", new JsonObject().put("sdp", "v=0")
                .put("leg", "a1b2"))).isNull();
        assertThat(nodes.get("alice").relayFromTab("conf-offer", ID, "carol", new JsonObject().put("sdp", "v=0")))
                .as("carol was invited but is not in").contains("not in your conference");
        assertThat(nodes.get("alice").relayFromTab("conf-offer", ID, "mallory", new JsonObject().put("sdp", "v=0")))
                .contains("not in your conference");
        deliver();
        assertThat(tabMessages("bob", "conf-offer")).singleElement()
                .satisfies(m -> {
                    assertThat(m.getString("from")).isEqualTo("alice");
                    assertThat(m.getString("leg")).isEqualTo("a1b2");
                    assertThat(m.getString("conf")).isEqualTo(ID);
                });

        // Mallory knows the id (say, from a leaked log) and forges every kind of signal.
        ConferenceMachine alice = nodes.get("alice");
        for (String type : List.of("conf-offer", "conf-answer", "conf-candidate")) {
            alice.onSignal("mallory", new JsonObject().put("type", type).put("conf", ID).put("sdp", "evil"));
            alice.onSignal("carol", new JsonObject().put("type", type).put("conf", ID).put("sdp", "not yet"));
        }
        alice.onSignal("mallory", new JsonObject().put("type", "conf-join").put("conf", ID));
        alice.onSignal("mallory", new JsonObject().put("type", "conf-welcome").put("conf", ID)
                .put("members", new JsonArray().add("mallory").add("alice")));
        alice.onSignal("mallory", new JsonObject().put("type", "conf-status").put("conf", ID).put("state", "terminated")
                .put("invited", new JsonArray().add("mallory")));
        alice.onSignal("mallory", new JsonObject().put("type", "conf-leave").put("conf", ID));
        alice.onSignal("carol", new JsonObject().put("type", "conf-leave").put("conf", ID));
        // Unsolicited welcome from a member of another view: alice did not ask, so it changes nothing.
        alice.onSignal("carol", new JsonObject().put("type", "conf-welcome").put("conf", ID)
                .put("members", new JsonArray().add("carol").add("mallory")));
        // Garbage.
        alice.onSignal("mallory", new JsonObject().put("type", "conf-offer").put("conf", 42));
        alice.onSignal("mallory", new JsonObject().put("type", "conf-offer"));
        alice.onSignal(null, new JsonObject().put("type", "conf-join").put("conf", ID));
        alice.onSignal("alice", new JsonObject().put("type", "conf-leave").put("conf", ID));
        deliver();

        assertThat(tabMessages("alice", "conf-offer")).isEmpty();
        assertThat(tabMessages("alice", "conf-answer")).isEmpty();
        assertThat(tabMessages("alice", "conf-candidate")).isEmpty();
        assertThat(members("alice")).containsExactly("alice", "bob");
        assertThat(entry("alice").getJsonArray("invited").getList()).doesNotContain("mallory");
        assertThat(entry("alice").getString("state")).isEqualTo("active");
        assertThat(log).filteredOn(s -> s.to().equals("mallory")).as("a stranger gets no answer").isEmpty();
    }

    @Test
    void anAnswerToAnOfferThatOutranItsWelcomeIsRelayed() {
        aliceInvitesBobAndCarol();
        nodes.get("bob").join(ID);
        deliver();
        // carol asks alice and bob to take her in; bob's page offers as soon as bob's node took her in, and that
        // offer reaches carol before bob's welcome does (gossip takes its own paths): carol's node lets it through
        // (she asked bob) and her answer must go back the same way, not be refused because bob is not in yet.
        ConferenceMachine carol = nodes.get("carol");
        carol.join(ID);
        carol.onSignal("bob", new JsonObject().put("type", "conf-offer").put("conf", ID).put("sdp", "v=0").put("leg", "b1"));
        assertThat(tabMessages("carol", "conf-offer")).singleElement().satisfies(m -> assertThat(m.getString("from")).isEqualTo("bob"));
        assertThat(carol.relayFromTab("conf-answer", ID, "bob", new JsonObject().put("sdp", "v=0").put("leg", "b1"))).isNull();
        assertThat(carol.relayFromTab("conf-candidate", ID, "bob", new JsonObject().put("candidate", new JsonObject()
                .put("candidate", "candidate:1 1 udp 1 198.18.0.3 5000 typ host")).put("leg", "b1"))).isNull();
        deliver();
        assertThat(tabMessages("bob", "conf-answer")).singleElement().satisfies(m -> {
            assertThat(m.getString("from")).isEqualTo("carol");
            assertThat(m.getString("leg")).isEqualTo("b1");
        });
        assertThat(tabMessages("bob", "conf-candidate")).hasSize(1);
        assertThat(carol.droppedSignals()).isZero();
        // A user carol never asked stays out both ways, and every refusal is counted.
        assertThat(carol.relayFromTab("conf-answer", ID, "mallory", new JsonObject().put("sdp", "v=0"))).contains("not in your conference");
        carol.onSignal("mallory", new JsonObject().put("type", "conf-offer").put("conf", ID).put("sdp", "evil"));
        assertThat(tabMessages("carol", "conf-offer")).hasSize(1);
        assertThat(carol.droppedSignals()).isEqualTo(2);
    }

    /** What a page reports each second: the members whose leg is connected. */
    private String legsUp(String node, String... users) {
        return new ConferenceTabMessages(nodes.get(node)).message(new JsonObject().put("type", "conf-legs").put("conf", ID)
                .put("connected", new JsonArray(List.of((Object[]) users))));
    }

    @Test
    void aMemberWhoseLegIsConnectedIsNotLostWhileItsSignalsAreLate() {
        aliceBobAndCarolIn();
        seconds(2);
        // Six browsers on two cores: carol's signals and receipts stop getting through in time, but her media
        // still reaches every page, and every page says so each second.
        dead.add("carol");
        for (int i = 0; i < ConferenceMachine.SILENCE_MILLIS / 1000 + 3; i++) {
            assertThat(legsUp("alice", "bob", "carol")).isNull();
            assertThat(legsUp("bob", "alice", "carol")).isNull();
            assertThat(legsUp("carol", "alice", "bob")).isNull();
            nodes.get("alice").onUndeliverable("carol", "no delivery receipt from carol after 3 attempts", "conf-ping");
            seconds(1);
        }
        for (String n : List.of("alice", "bob", "carol")) {
            assertThat(members(n)).as(n).containsExactlyInAnyOrder("alice", "bob", "carol");
            assertThat(tabMessages(n, "notice")).extracting(m -> m.getString("message")).as(n)
                    .noneMatch(t -> t.contains("stopped answering") || t.contains("cannot reach"));
        }
        // A report is no pin: once the legs to carol are down too, she is gone within the usual silence.
        for (int i = 0; i < ConferenceMachine.SILENCE_MILLIS / 1000 + 2; i++) {
            legsUp("alice", "bob");
            legsUp("bob", "alice");
            seconds(1);
        }
        assertThat(members("alice")).containsExactlyInAnyOrder("alice", "bob");
        assertThat(members("bob")).containsExactlyInAnyOrder("alice", "bob");
    }

    @Test
    void aPageCannotVouchForAStrangerOrWithoutAList() {
        aliceBobAndCarolIn();
        assertThat(legsUp("alice", "mallory", "bob")).isNull();
        assertThat(new ConferenceTabMessages(nodes.get("alice")).message(new JsonObject().put("type", "conf-legs")
                .put("conf", ID).put("connected", "bob"))).contains("needs 'connected'");
        assertThat(new ConferenceTabMessages(nodes.get("alice")).message(new JsonObject().put("type", "conf-legs")
                .put("conf", "ffffffffffffffffffffffffffffffff").put("connected", new JsonArray().add("bob")))).isNull();
        dead.add("bob");
        dead.add("carol");
        for (int i = 0; i < ConferenceMachine.SILENCE_MILLIS / 1000 + 2; i++) {
            legsUp("alice", "mallory");
            seconds(1);
        }
        assertThat(members("alice")).containsExactly("alice");
        assertThat(log).filteredOn(s -> s.to().equals("mallory")).isEmpty();
    }

    @Test
    void aJoinThatGivesUpTellsThoseWhoTookItIn() {
        node("alice");
        node("bob");
        startWith("alice", "bob");
        // alice takes bob in, but nothing of hers reaches bob (her welcomes are late on a loaded machine) until
        // bob's node gives up on the join.
        cut.add("alice>bob");
        nodes.get("bob").join(ID);
        deliver();
        assertThat(members("alice")).containsExactlyInAnyOrder("alice", "bob");
        seconds((int) (ConferenceMachine.JOIN_TIMEOUT_MILLIS / 1000));
        assertThat(list("bob").getValue("current")).isNull();
        assertThat(members("alice")).as("bob's node said it is out as it gave up").containsExactly("alice");
    }

    @Test
    void aNodeThatIsOutTellsAMemberWhoStillListsIt() {
        node("alice");
        node("bob");
        startWith("alice", "bob");
        cut.add("alice>bob");
        cut.add("bob>alice");
        nodes.get("bob").join(ID);
        ConferenceMachine alice = nodes.get("alice");
        // bob's join reaches alice, and nothing else goes either way until bob's node gave up (its leave lost too).
        alice.onSignal("bob", new JsonObject().put("type", "conf-join").put("conf", ID));
        seconds((int) (ConferenceMachine.JOIN_TIMEOUT_MILLIS / 1000));
        cut.clear();
        wire.clear();
        log.clear();
        // alice's page still offers to bob: bob's node drops it (counted) and says it is out, once for a burst.
        ConferenceMachine bob = nodes.get("bob");
        alice.onSignal("bob", new JsonObject().put("type", "conf-ping").put("conf", ID)); // bob alive as far as alice knows
        assertThat(alice.relayFromTab("conf-offer", ID, "bob", new JsonObject().put("sdp", "v=0").put("leg", "a1"))).isNull();
        assertThat(alice.relayFromTab("conf-candidate", ID, "bob", new JsonObject().put("candidate", new JsonObject()
                .put("candidate", "candidate:1 1 udp 1 198.18.0.2 5000 typ host")).put("leg", "a1"))).isNull();
        deliver();
        assertThat(bob.droppedSignals()).isEqualTo(2);
        assertThat(log).filteredOn(sent -> sent.from().equals("bob") && "conf-leave".equals(sent.signal().getString("type")))
                .hasSize(1);
        assertThat(members("alice")).containsExactly("alice");
        // A stranger's signals for that conference get no such answer.
        bob.onSignal("mallory", new JsonObject().put("type", "conf-ping").put("conf", ID));
        deliver();
        assertThat(log).filteredOn(sent -> sent.to().equals("mallory")).isEmpty();
    }

    @Test
    void aStrangerCannotForgeAnInviteWithoutBeingInItsOwnRoster() {
        node("bob");
        ConferenceMachine bob = nodes.get("bob");
        bob.onSignal("mallory", new JsonObject().put("type", "conf-invite").put("conf", ID).put("starter", "alice")
                .put("members", new JsonArray().add("alice")).put("invited", new JsonArray().add("bob")));
        bob.onSignal("mallory", new JsonObject().put("type", "conf-invite").put("conf", ID).put("starter", "mallory")
                .put("members", new JsonArray().add("mallory")).put("invited", new JsonArray().add("carol")));
        assertThat(list("bob").getJsonArray("conferences")).isEmpty();
        // An invite it is entitled to send rings, with the title cleaned and capped.
        String title = "\u202Eevil\u0007 " + "x".repeat(500);
        bob.onSignal("mallory", new JsonObject().put("type", "conf-invite").put("conf", ID).put("starter", "mallory")
                .put("title", title).put("members", new JsonArray().add("mallory"))
                .put("invited", new JsonArray().add("bob")));
        String shown = entry("bob").getString("title");
        assertThat(shown).startsWith("evil x").doesNotContain("\u202E").doesNotContain("\u0007");
        assertThat(shown.codePointCount(0, shown.length())).isLessThanOrEqualTo(ConferenceText.MAX_TITLE + 1);
        assertThat(entry("bob").getBoolean("ringing")).isTrue();
    }

    @Test
    void theSeventhIsToldItIsFull() {
        List<String> names = List.of("u1", "u2", "u3", "u4", "u5", "u6", "u7");
        names.forEach(this::node);
        startWith("u1", "u2", "u3", "u4", "u5", "u6", "u7");
        for (String n : names.subList(1, 6)) {
            nodes.get(n).join(ID);
            deliver();
        }
        assertThat(members("u1")).hasSize(6);
        nodes.get("u7").join(ID);
        deliver();
        assertThat(tabMessages("u7", "notice")).extracting(m -> m.getString("message")).anyMatch(t -> t.contains("full"));
        assertThat(list("u7").getString("current")).isNull();
        for (String n : names.subList(0, 6)) {
            assertThat(members(n)).as(n).hasSize(6).doesNotContain("u7");
        }
        // A forged join claiming a seventh seat is refused the same way.
        nodes.get("u1").onSignal("u7", new JsonObject().put("type", "conf-join").put("conf", ID));
        assertThat(log.get(log.size() - 1).signal().getString("type")).isEqualTo("conf-full");
        assertThat(members("u1")).hasSize(6);
    }

    @Test
    void leavingDeclinedAndReEnteringThenTheLastOneOutTerminates() {
        aliceInvitesBobAndCarol();
        nodes.get("carol").decline(ID);
        nodes.get("bob").join(ID);
        deliver();
        assertThat(entry("carol").getBoolean("ringing")).isFalse();
        assertThat(entry("carol").getString("state")).as("carol's list follows").isEqualTo("active");
        // Carol changes her mind while it is active.
        assertThat(nodes.get("carol").join(ID)).isNull();
        deliver();
        assertThat(members("alice")).containsExactlyInAnyOrder("alice", "bob", "carol");
        nodes.get("bob").leave(ID);
        deliver();
        assertThat(members("alice")).containsExactlyInAnyOrder("alice", "carol");
        assertThat(members("carol")).containsExactlyInAnyOrder("alice", "carol");
        assertThat(entry("bob").getBoolean("joined")).isFalse();
        assertThat(entry("bob").getString("state")).isEqualTo("active");
        nodes.get("alice").leave(ID);
        deliver();
        assertThat(entry("carol").getString("state")).isEqualTo("active");
        nodes.get("carol").leave(ID);
        deliver();
        for (String n : List.of("alice", "bob", "carol")) {
            assertThat(entry(n).getString("state")).as(n).isEqualTo("terminated");
        }
        assertThat(nodes.get("bob").join(ID)).contains("over");
    }

    @Test
    void aMemberWhoseNodeDiesIsDroppedWithinSeconds() {
        aliceBobAndCarolIn();
        seconds(3);
        assertThat(members("alice")).hasSize(3);
        dead.add("carol");
        seconds((int) (ConferenceMachine.SILENCE_MILLIS / 1000) + 2);
        assertThat(members("alice")).containsExactlyInAnyOrder("alice", "bob");
        assertThat(members("bob")).containsExactlyInAnyOrder("alice", "bob");
        assertThat(tabMessages("alice", "notice")).extracting(m -> m.getString("message"))
                .anyMatch(t -> t.contains("carol stopped answering"));
    }

    @Test
    void membersLostToASilenceTheyOutliveTakeEachOtherInAgain() {
        aliceBobAndCarolIn();
        seconds(2);
        // carol's link is cut for longer than the silence: both sides drop each other...
        dead.add("carol");
        seconds((int) (ConferenceMachine.SILENCE_MILLIS / 1000) + 2);
        assertThat(members("alice")).containsExactlyInAnyOrder("alice", "bob");
        assertThat(members("carol")).containsExactly("carol");
        // ...and once it is back, the joins each side sends for a few seconds rebuild the full roster everywhere.
        dead.remove("carol");
        seconds(3);
        for (String n : List.of("alice", "bob", "carol")) {
            assertThat(members(n)).as(n).containsExactlyInAnyOrder("alice", "bob", "carol");
        }
    }

    @Test
    void aStalledNodeDoesNotTakeItsOwnPauseForTheMembersSilence() {
        aliceBobAndCarolIn();
        seconds(2);
        clock.advance(ConferenceMachine.SILENCE_MILLIS * 2); // nothing ran: a stalled machine
        seconds(1);
        for (String n : List.of("alice", "bob", "carol")) {
            assertThat(members(n)).as(n).containsExactlyInAnyOrder("alice", "bob", "carol");
        }
        assertThat(tabMessages("alice", "notice")).extracting(m -> m.getString("message"))
                .noneMatch(t -> t.contains("stopped answering"));
    }

    @Test
    void aMemberWhoLeftIsNotAskedBack() {
        aliceBobAndCarolIn();
        seconds(1);
        nodes.get("carol").leave(ID);
        deliver();
        log.clear();
        seconds(6);
        assertThat(log).noneMatch(s -> s.to().equals("carol") && "conf-join".equals(s.signal().getString("type")));
        assertThat(members("alice")).containsExactlyInAnyOrder("alice", "bob");
    }

    @Test
    void aBounceOrALostLegDropsTheMember() {
        aliceBobAndCarolIn();
        // A bounce while bob is heard from is a route refreshing late: nothing happens.
        nodes.get("alice").onUndeliverable("bob", "no route to bob", "conf-ping");
        assertThat(members("alice")).containsExactlyInAnyOrder("alice", "bob", "carol");
        clock.advance(ConferenceMachine.BOUNCE_SILENCE_MILLIS + 500);
        nodes.get("alice").onUndeliverable("bob", "no route to bob", "conf-ping");
        nodes.get("alice").dropFromTab(ID, "carol");
        assertThat(members("alice")).containsExactly("alice");
        // A bounce for a call signal, or for someone not in, changes nothing.
        nodes.get("bob").onUndeliverable("alice", "no route", "offer");
        nodes.get("bob").onUndeliverable("mallory", "no route", "conf-ping");
        assertThat(members("bob")).containsExactlyInAnyOrder("alice", "bob", "carol");
    }

    @Test
    void aLostJoinIsRepeatedUntilAMemberAnswers() {
        node("alice");
        node("bob");
        startWith("alice", "bob");
        dead.add("alice");
        nodes.get("bob").join(ID);
        deliver(); // lost
        dead.remove("alice");
        seconds(1);
        assertThat(members("bob")).containsExactlyInAnyOrder("alice", "bob");
        assertThat(members("alice")).containsExactlyInAnyOrder("alice", "bob");
    }

    @Test
    void aMemberGoneSilentDoesNotKeepTheConferenceAliveForTheLastOneOut() {
        aliceBobAndCarolIn();
        dead.add("carol"); // her node died a moment ago; not yet silent long enough to be dropped
        seconds(3);
        assertThat(members("alice")).contains("carol");
        nodes.get("bob").leave(ID);
        deliver();
        nodes.get("alice").leave(ID);
        deliver();
        assertThat(entry("bob").getString("state")).isEqualTo("terminated");
        assertThat(entry("alice").getString("state")).isEqualTo("terminated");
    }

    @Test
    void oneConferenceAtATime() {
        node("alice");
        node("bob");
        assertThat(nodes.get("alice").start(null)).isNull();
        assertThat(nodes.get("alice").start("again")).contains("already");
        assertThat(nodes.get("alice").invite(ID, "alice")).contains("not a user");
        assertThat(nodes.get("alice").invite(ID, "bad\u202Ename")).contains("not a user");
        assertThat(nodes.get("bob").invite(ID, "alice")).contains("not in that conference");
        assertThat(nodes.get("alice").busy()).isTrue();
    }
}
