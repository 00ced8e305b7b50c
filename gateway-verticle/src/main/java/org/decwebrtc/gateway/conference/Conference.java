package org.decwebrtc.gateway.conference;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * One conference as this node sees it. While its user is in, {@link #members} is this node's own view, changed
 * only by joins it accepted, leaves it heard and members it lost; otherwise it is the last roster it was told.
 */
final class Conference {
    final String id;
    final String title;
    final String starter;
    final Set<String> invited = new LinkedHashSet<>();
    final Set<String> members = new LinkedHashSet<>();
    /** Users this node asked to take it in and who have not answered yet. */
    final Set<String> contacted = new LinkedHashSet<>();
    final Map<String, Long> lastHeard = new HashMap<>();
    /** Users a member said are in but who have not taken us in yet: asked again each second, a few times. */
    final Map<String, Integer> reportedIn = new HashMap<>();
    ConferenceState state;
    boolean joined;
    boolean ringing;
    long joinedAt;

    Conference(String id, String title, String starter, ConferenceState state) {
        this.id = id;
        this.title = title;
        this.starter = starter;
        this.state = state;
        invited.add(starter);
    }

    /** Everyone who has anything to do with it: the starter, invited users and members. */
    boolean involves(String user) {
        return invited.contains(user) || members.contains(user) || starter.equals(user);
    }

    /** The conference as signals carry it (invite, welcome, status). */
    JsonObject roster() {
        return new JsonObject().put("conf", id).put("title", title).put("starter", starter).put("state", state.text())
                .put("members", new JsonArray(java.util.List.copyOf(members)))
                .put("invited", new JsonArray(java.util.List.copyOf(invited)));
    }

    /** The conference as the tab's list shows it. */
    JsonObject toTab() {
        return roster().put("joined", joined).put("ringing", ringing);
    }

    void mergeInvited(Set<String> more) {
        for (String name : more) {
            if (invited.size() >= ConferenceText.MAX_NAMES) {
                return;
            }
            invited.add(name);
        }
    }
}
