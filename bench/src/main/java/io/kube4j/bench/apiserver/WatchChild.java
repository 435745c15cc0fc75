package io.kube4j.bench.apiserver;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A watcher process of bench/apiserver: holds a share of the bench's watches open on one server and tells its
 * parent over stdout when each is fed, so that the thousand watches are read by several JVMs and the figure
 * measures the server rather than one overloaded reader. Lines it prints:
 * <pre>
 * READY established failed firstError|-
 * FED watchIndex epochMillis            (once per watch, when it has seen every object of the burst)
 * SUMMARY fed valid duplicates rejected ended fullChecks firstProblem|-
 * </pre>
 * It prints SUMMARY and exits when its stdin says "stop" or closes, so it never outlives its parent.
 *
 * <p>Arguments: --port P --path PATH?QUERY --transport http|ws --watches N --events N --prefix NAME_PREFIX
 * --first-index K (the bench-wide index of its first watch) [--host H] [--read-pause-ms N]
 */
public final class WatchChild {
    private WatchChild() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i], args[i + 1]);
        }
        String host = a.getOrDefault("--host", "127.0.0.1");
        int port = Integer.parseInt(a.get("--port"));
        String path = a.get("--path");
        boolean websocket = a.get("--transport").equals("ws");
        int watches = Integer.parseInt(a.get("--watches"));
        int events = Integer.parseInt(a.get("--events"));
        String prefix = a.get("--prefix");
        int firstIndex = Integer.parseInt(a.get("--first-index"));
        int readPause = Integer.parseInt(a.getOrDefault("--read-pause-ms", "0"));

        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        warmUp(prefix, events);
        WatchTally tally = new WatchTally(watches, events, (watch, millis) -> say(out, "FED " + (firstIndex + watch)
                + " " + millis));
        WatchReaders readers = websocket
                ? new WebSocketWatches(host, port, path, watches, tally, prefix, events)
                : new HttpStreamWatches(host, port, path, watches, tally, new WatchEventCheck(prefix, events),
                        readPause);
        try {
            // generous: a loaded machine and the mock's WebSocket upgrade can take long for hundreds of watches
            readers.open(90_000);
            say(out, "READY " + readers.established() + " " + readers.failed() + " " + oneLine(readers.firstError()));
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.equals("stop")) {
                // nothing else is asked of a watcher
            }
            String problem = tally.firstProblem() != null ? tally.firstProblem() : readers.firstError();
            say(out, "SUMMARY " + tally.fed() + " " + tally.valid() + " " + tally.duplicates() + " "
                    + tally.rejected() + " " + readers.ended() + " " + tally.fullChecks() + " " + oneLine(problem));
        } finally {
            readers.close();
        }
        System.exit(0);
    }

    /**
     * Runs the reading path (response decoding, line splitting, the event check) over synthetic events before any
     * watch opens, so the burst is not read by code still being interpreted: the parent measures the server.
     */
    private static void warmUp(String prefix, int events) {
        StringBuilder body = new StringBuilder();
        String filler = "x".repeat(512);
        int n = Math.max(events, 1);
        StringBuilder stream = new StringBuilder("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (int i = 0; i < n; i++) {
            body.setLength(0);
            body.append("{\"type\":\"ADDED\",\"object\":{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{")
                    .append("\"name\":\"").append(prefix).append(String.format(java.util.Locale.ROOT, "%05d", i))
                    .append("\",\"namespace\":\"warm\",\"resourceVersion\":\"").append(i + 1)
                    .append("\",\"labels\":{\"app\":\"bench\"},\"managedFields\":[{\"manager\":\"m\",\"time\":null}]},")
                    .append("\"data\":{\"key\":\"").append(filler).append("\",\"n\":[1,-2.5e3,true]}}}\n");
            stream.append(Integer.toHexString(body.length())).append("\r\n").append(body).append("\r\n");
        }
        byte[] bytes = stream.toString().getBytes(StandardCharsets.UTF_8);
        WatchEventCheck check = new WatchEventCheck(prefix, n);
        // until this JVM's JIT compilers have caught up (under 5 % of a stretch of at least a second, or 30 s):
        // a fixed number of rounds left C2 compiling the reading path during the measured burst on a slow machine
        long pid = ProcessHandle.current().pid();
        long deadline = System.nanoTime() + 30_000_000_000L;
        long stretchStart = System.nanoTime();
        double jitAtStretch = JitCompilerCpu.seconds(pid);
        for (int round = 0; ; round++) {
            long now = System.nanoTime();
            if (round >= 20 && now - stretchStart >= 1_000_000_000L) {
                double jit = JitCompilerCpu.seconds(pid);
                if (jit - jitAtStretch < 0.05 * (now - stretchStart) / 1e9 || now > deadline) {
                    break;
                }
                stretchStart = now;
                jitAtStretch = jit;
            }
            // two watches: the first checks every line in full, the second matches the checked lines
            WatchTally tally = new WatchTally(2, n, (watch, millis) -> { });
            for (int w = 0; w < 2; w++) {
                int watch = w;
                LineSplitter lines = new LineSplitter((buf, off, len) -> tally.event(watch, check, buf, off, len),
                        (buf, off, available) -> tally.knownLine(watch, buf, off, available));
                HttpResponseDecoder decoder = new HttpResponseDecoder(new HttpResponseDecoder.Sink() {
                    @Override
                    public void head(int status) {
                    }

                    @Override
                    public void body(byte[] buf, int off, int len) {
                        lines.feed(buf, off, len);
                    }

                    @Override
                    public void end() {
                    }
                });
                for (int at = 0; at < bytes.length; at += 4096) {
                    decoder.feed(bytes, at, Math.min(4096, bytes.length - at));
                }
            }
            if (tally.fed() != 2) {
                throw new IllegalStateException("the reader does not count its own warm-up events: "
                        + tally.firstProblem());
            }
        }
    }

    private static void say(PrintStream out, String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    private static String oneLine(String s) {
        return s == null ? "-" : s.replaceAll("\\s+", " ");
    }
}
