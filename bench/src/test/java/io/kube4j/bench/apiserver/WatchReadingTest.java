package io.kube4j.bench.apiserver;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The watcher processes' reading path: HTTP framing, line splitting and the event check that makes counts honest. */
class WatchReadingTest {
    /** An event whose resourceVersion is the number in its name plus one: names in order are revisions in order. */
    private static String event(String type, String name) {
        return event(type, name, Integer.parseInt(name.substring(name.indexOf('-') + 1)) + 1);
    }

    private static String event(String type, String name, long resourceVersion) {
        return "{\"type\":\"" + type + "\",\"object\":{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{"
                + "\"name\":\"" + name + "\",\"namespace\":\"w\",\"resourceVersion\":\"" + resourceVersion + "\","
                + "\"labels\":{\"name\":\"decoy\",\"resourceVersion\":\"x\"},"
                + "\"managedFields\":[{\"manager\":\"m\",\"fieldsV1\":{\"f:data\":{}}}]},\"data\":{\"k\":\"a\\\"}b\","
                + "\"n\":[1,-2.5e3,true,null]}}}";
    }

    private static int check(WatchEventCheck c, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return c.check(b, 0, b.length);
    }

    @Test
    void acceptsACompleteEventOfTheBurstAndReturnsItsIndex() {
        WatchEventCheck c = new WatchEventCheck("o-", 1000);
        assertThat(check(c, event("ADDED", "o-00042"))).isEqualTo(42);
        assertThat(check(c, "  " + event("ADDED", "o-00999") + " ")).isEqualTo(999);
        assertThat(c.resourceVersion()).isEqualTo(1000);
    }

    @Test
    void rejectsAnEventWithoutANumericResourceVersion() {
        WatchEventCheck c = new WatchEventCheck("o-", 1000);
        assertThat(check(c, "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"o-1\"}}}")).isEqualTo(-1);
        assertThat(c.problem()).isEqualTo("no object.metadata.resourceVersion");
        assertThat(check(c, "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"o-1\",\"resourceVersion\":"
                + "\"12a\"}}}")).isEqualTo(-1);
        assertThat(check(c, "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"o-1\",\"resourceVersion\":"
                + "\"12\"}}}")).isEqualTo(1);
        assertThat(c.resourceVersion()).isEqualTo(12);
    }

    @Test
    void anEventWhoseResourceVersionDoesNotGrowIsRejected() {
        WatchTally tally = new WatchTally(1, 3, (watch, millis) -> { });
        WatchEventCheck c = new WatchEventCheck("o-", 3);
        for (String e : new String[] {event("ADDED", "o-00000", 5), event("ADDED", "o-00001", 4),
                event("ADDED", "o-00002", 5), event("ADDED", "o-00001", 6)}) {
            byte[] b = e.getBytes(StandardCharsets.UTF_8);
            tally.event(0, c, b, 0, b.length);
        }
        assertThat(tally.valid()).isEqualTo(2);
        assertThat(tally.rejected()).isEqualTo(2);
        assertThat(tally.firstProblem()).contains("resourceVersion 4 after 5");
        assertThat(tally.fed()).isZero();
    }

    @Test
    void otherWatchesMatchCheckedLinesByteForByteAndAnyDifferenceIsCheckedInFull() {
        int events = 3;
        List<Integer> fed = new ArrayList<>();
        WatchTally tally = new WatchTally(3, events, (watch, millis) -> fed.add(watch));
        WatchEventCheck c = new WatchEventCheck("o-", events);
        StringBuilder stream = new StringBuilder();
        for (int i = 0; i < events; i++) {
            stream.append(event("ADDED", "o-0000" + i)).append('\n');
        }
        byte[] good = stream.toString().getBytes(StandardCharsets.UTF_8);
        // watch 2 gets the same stream with one byte of the second event's name changed: a different object
        String bad = stream.toString().replaceFirst("o-00001", "o-00002");
        for (int w = 0; w < 3; w++) {
            int watch = w;
            byte[] bytes = w == 2 ? bad.getBytes(StandardCharsets.UTF_8) : good;
            LineSplitter lines = new LineSplitter((b, off, len) -> tally.event(watch, c, b, off, len),
                    (b, off, available) -> tally.knownLine(watch, b, off, available));
            // odd pieces: a known line is taken whole only when all of it (and its newline) is in one piece
            for (int at = 0; at < bytes.length; at += 97) {
                lines.feed(bytes, at, Math.min(97, bytes.length - at));
            }
        }
        assertThat(fed).containsExactly(0, 1);
        assertThat(tally.valid()).isEqualTo(2 * events + 2);
        assertThat(tally.duplicates()).isEqualTo(1);
        // watch 0 parsed all three; watches 1 and 2 only what was cut across pieces or differed
        assertThat(tally.fullChecks()).isGreaterThanOrEqualTo(events + 1).isLessThan(3L * events);
    }

    @Test
    void rejectsCutMergedForeignAndOutOfBurstEvents() {
        WatchEventCheck c = new WatchEventCheck("o-", 1000);
        String ok = event("ADDED", "o-00001");
        assertThat(check(c, ok.substring(0, ok.length() - 1))).isEqualTo(-1);
        assertThat(c.problem()).isEqualTo("truncated");
        assertThat(check(c, ok + ok)).isEqualTo(-1);
        assertThat(check(c, event("MODIFIED", "o-00001"))).isEqualTo(-1);
        assertThat(check(c, event("ADDED", "x-00001"))).isEqualTo(-1);
        assertThat(check(c, event("ADDED", "o-01000"))).isEqualTo(-1);
        assertThat(check(c, "{\"type\":\"ADDED\"}")).isEqualTo(-1);
        assertThat(check(c, "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"o-1\"}}")).isEqualTo(-1);
        // the name must be the object's metadata.name, not a label called name
        assertThat(check(c, "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"labels\":{\"name\":\"o-1\"}}}}"))
                .isEqualTo(-1);
        assertThat(check(c, "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"o-7\"}} junk}")).isEqualTo(-1);
    }

    @Test
    void decodesChunkedBodiesSplitAnywhereIntoTheSameLines() {
        String e1 = event("ADDED", "o-00001");
        String e2 = event("ADDED", "o-00002");
        String body = e1 + "\n" + e2 + "\n";
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        // chunks that do not line up with the lines, one with an extension
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        int[] cuts = {0, 7, 200, bytes.length};
        for (int i = 0; i + 1 < cuts.length; i++) {
            int n = cuts[i + 1] - cuts[i];
            String size = Integer.toHexString(n) + (i == 1 ? ";x=y" : "") + "\r\n";
            wire.writeBytes(size.getBytes(StandardCharsets.US_ASCII));
            wire.write(bytes, cuts[i], n);
            wire.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        wire.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] all = wire.toByteArray();
        for (int step : new int[] {1, 3, 64, all.length}) {
            List<String> lines = new ArrayList<>();
            int[] status = {0};
            boolean[] ended = {false};
            LineSplitter splitter = new LineSplitter((b, off, len) -> lines.add(new String(b, off, len,
                    StandardCharsets.UTF_8)));
            HttpResponseDecoder d = new HttpResponseDecoder(new HttpResponseDecoder.Sink() {
                @Override
                public void head(int s) {
                    status[0] = s;
                }

                @Override
                public void body(byte[] buf, int off, int len) {
                    splitter.feed(buf, off, len);
                }

                @Override
                public void end() {
                    ended[0] = true;
                }
            });
            for (int at = 0; at < all.length; at += step) {
                d.feed(all, at, Math.min(step, all.length - at));
            }
            assertThat(status[0]).isEqualTo(200);
            assertThat(ended[0]).isTrue();
            assertThat(d.done()).isTrue();
            assertThat(d.bodyBytes()).isEqualTo(bytes.length);
            assertThat(d.wireBytes()).isEqualTo(all.length);
            assertThat(lines).as("split every %d bytes", step).containsExactly(e1, e2);
        }
    }

    @Test
    void aContentLengthBodyEndsAtItsLength() {
        byte[] all = "HTTP/1.1 404 Not Found\r\nContent-Length: 5\r\n\r\nhello".getBytes(StandardCharsets.US_ASCII);
        StringBuilder body = new StringBuilder();
        HttpResponseDecoder d = new HttpResponseDecoder(new HttpResponseDecoder.Sink() {
            @Override
            public void head(int s) {
            }

            @Override
            public void body(byte[] buf, int off, int len) {
                body.append(new String(buf, off, len, StandardCharsets.US_ASCII));
            }

            @Override
            public void end() {
            }
        });
        d.feed(all, 0, all.length);
        assertThat(d.status()).isEqualTo(404);
        assertThat(d.done()).isTrue();
        assertThat(body).hasToString("hello");
    }

    @Test
    void aWatchIsFedOnceWhenItHasSeenEveryObjectAndDuplicatesDoNotCount() {
        List<Integer> fed = new ArrayList<>();
        WatchTally tally = new WatchTally(2, 3, (watch, millis) -> fed.add(watch));
        WatchEventCheck c = new WatchEventCheck("o-", 3);
        for (String name : new String[] {"o-00000", "o-00001", "o-00001", "o-00002", "o-00000"}) {
            byte[] b = event("ADDED", name).getBytes(StandardCharsets.UTF_8);
            tally.event(0, c, b, 0, b.length);
        }
        byte[] cut = "{\"type\":\"ADDED\",\"obj".getBytes(StandardCharsets.UTF_8);
        tally.event(1, c, cut, 0, cut.length);
        for (String name : new String[] {"o-00000", "o-00001"}) {
            byte[] b = event("ADDED", name).getBytes(StandardCharsets.UTF_8);
            tally.event(1, c, b, 0, b.length);
        }
        assertThat(fed).containsExactly(0);
        assertThat(tally.fed()).isEqualTo(1);
        assertThat(tally.valid()).isEqualTo(5);
        assertThat(tally.duplicates()).isEqualTo(2);
        assertThat(tally.rejected()).isEqualTo(1);
        assertThat(tally.firstProblem()).startsWith("watch 1:");
    }
}
