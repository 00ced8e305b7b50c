package org.decwebrtc.deploy.management;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.assertj.core.api.Assertions.assertThat;

class JsonLogFormatterTest {

    @Test
    void oneRecordIsOneLineOfJsonWhateverTheMessageHolds() {
        LogRecord r = new LogRecord(Level.WARNING, "bad \"name\"\nfrom {0}\u0001");
        r.setLoggerName("org.decwebrtc.turn.TurnVerticle");
        r.setParameters(new Object[]{"198.51.100.7"});
        r.setThrown(new IllegalStateException("boom"));
        String line = new JsonLogFormatter().format(r);
        assertThat(line).endsWith("\n");
        assertThat(line.strip()).doesNotContain("\n");
        JsonObject json = new JsonObject(line);
        assertThat(json.getString("level")).isEqualTo("WARNING");
        assertThat(json.getString("logger")).isEqualTo("org.decwebrtc.turn.TurnVerticle");
        assertThat(json.getString("message")).isEqualTo("bad \"name\"\nfrom 198.51.100.7\u0001");
        assertThat(json.getString("error")).contains("IllegalStateException: boom");
        assertThat(json.getString("time")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    }
}
