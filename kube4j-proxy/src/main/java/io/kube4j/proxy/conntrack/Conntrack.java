package io.kube4j.proxy.conntrack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The kernel's connection tracking table, through the {@code conntrack} program (conntrack-tools). */
public final class Conntrack {

    private static final long TIMEOUT_SECONDS = 10;
    private final List<String> command;

    /** @param command e.g. {@code [conntrack]} or {@code [ip, netns, exec, NS, conntrack]} */
    public Conntrack(List<String> command) {
        this.command = List.copyOf(command);
    }

    /** Every UDP flow the kernel tracks. */
    public List<UdpFlow> udpFlows() throws ConntrackException {
        List<UdpFlow> flows = new ArrayList<>();
        for (String line : run(List.of("-L", "-p", "udp"), false).split("\n")) {
            UdpFlow flow = UdpFlow.parse(line);
            if (flow != null) {
                flows.add(flow);
            }
        }
        return flows;
    }

    /** Deletes the UDP flows to {@code origDst:port} answered by {@code replySrc}. */
    public void delete(String origDst, int port, String replySrc) throws ConntrackException {
        run(List.of("-D", "-p", "udp", "--orig-dst", origDst, "--orig-port-dst", Integer.toString(port),
                "--reply-src", replySrc), true);
    }

    private String run(List<String> args, boolean deleting) throws ConntrackException {
        List<String> cmd = new ArrayList<>(command);
        cmd.addAll(args);
        try {
            Process p = new ProcessBuilder(cmd).start();
            p.getOutputStream().close();
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
                try {
                    return p.getErrorStream().readAllBytes();
                } catch (IOException e) {
                    return new byte[0];
                }
            });
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new ConntrackException(String.join(" ", cmd) + " did not finish");
            }
            String error = new String(err.join(), StandardCharsets.UTF_8).strip();
            // conntrack -D exits 1 when nothing matched (the flow may have expired meanwhile): not an error
            boolean nothingDeleted = deleting && p.exitValue() == 1 && error.contains("0 flow entries");
            if (p.exitValue() != 0 && !nothingDeleted) {
                throw new ConntrackException(String.join(" ", cmd) + " failed (exit " + p.exitValue() + "): " + error);
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConntrackException("cannot run " + cmd + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConntrackException("interrupted running " + cmd);
        }
    }

    /** conntrack failed or could not be run. */
    public static final class ConntrackException extends Exception {
        public ConntrackException(String message) {
            super(message);
        }
    }
}
