package io.kube4j.proxy.routes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The kernel's routes to other nodes' pods, through iproute2. Every route written here carries its own routing
 * protocol number, so that a resync finds (and may delete) exactly the routes kube4j made and never an
 * administrator's.
 */
public final class KernelRoutes {

    /** The {@code proto} of kube4j's routes; an otherwise unassigned number in iproute2's rt_protos. */
    public static final int ROUTE_PROTOCOL = 75;
    private static final long TIMEOUT_SECONDS = 10;

    private final List<String> ip;

    /** @param ipCommand e.g. {@code [ip]} or {@code [ip, -n, NS]} */
    public KernelRoutes(List<String> ipCommand) {
        this.ip = List.copyOf(ipCommand);
    }

    /** kube4j's routes now in the main table: destination to next hop. */
    public Map<String, String> list() throws RouteException {
        Map<String, String> routes = new TreeMap<>();
        String out = run("-4", "route", "show", "table", "main", "proto", Integer.toString(ROUTE_PROTOCOL));
        for (String line : out.split("\n")) {
            String[] fields = line.strip().split("\\s+");
            if (fields.length == 0 || fields[0].isEmpty()) {
                continue;
            }
            String via = "";
            for (int i = 1; i + 1 < fields.length; i++) {
                if (fields[i].equals("via")) {
                    via = fields[i + 1];
                }
            }
            routes.put(fields[0], via);
        }
        return routes;
    }

    /** Adds the route or changes its next hop. */
    public void replace(String destination, String via) throws RouteException {
        run("-4", "route", "replace", destination, "via", via, "proto", Integer.toString(ROUTE_PROTOCOL));
    }

    public void delete(String destination) throws RouteException {
        run("-4", "route", "del", destination, "proto", Integer.toString(ROUTE_PROTOCOL));
    }

    private String run(String... args) throws RouteException {
        List<String> cmd = new ArrayList<>(ip);
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).start();
            p.getOutputStream().close();
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p, true));
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new RouteException(String.join(" ", cmd) + " did not finish");
            }
            if (p.exitValue() != 0) {
                throw new RouteException(String.join(" ", cmd) + " failed: "
                        + new String(err.join(), StandardCharsets.UTF_8).strip());
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RouteException("cannot run " + cmd + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RouteException("interrupted running " + cmd);
        }
    }

    private static byte[] readAll(Process p, boolean error) {
        try {
            return (error ? p.getErrorStream() : p.getInputStream()).readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    /** iproute2 refused a change or could not be run. */
    public static final class RouteException extends Exception {
        public RouteException(String message) {
            super(message);
        }
    }
}
