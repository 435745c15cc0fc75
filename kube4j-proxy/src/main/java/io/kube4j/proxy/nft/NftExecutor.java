package io.kube4j.proxy.nft;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the {@code nft} program. The command is a prefix so that it may run inside a network namespace. */
public final class NftExecutor {

    private static final long TIMEOUT_SECONDS = 30;
    private final List<String> command;

    /** @param command the nft command, e.g. {@code [nft]} or {@code [ip, netns, exec, NS, nft]} */
    public NftExecutor(List<String> command) {
        this.command = List.copyOf(command);
    }

    /** Applies a transaction with {@code nft -f -}; nft commits all of it or none. */
    public void apply(String transaction) throws NftException {
        run(List.of("-f", "-"), transaction);
    }

    /** Removes {@code table} (family ip) if it is there: one transaction that creates it first, so it never fails. */
    public void deleteTable(String table) throws NftException {
        apply("add table ip " + table + "\ndelete table ip " + table + "\n");
    }

    /** Checks a transaction with {@code nft -c -f -}: the kernel validates it and nothing changes. */
    public void check(String transaction) throws NftException {
        run(List.of("-c", "-f", "-"), transaction);
    }

    /** Runs {@code nft ARGS} and returns its standard output. */
    public String run(List<String> args, String stdin) throws NftException {
        List<String> cmd = new ArrayList<>(command);
        cmd.addAll(args);
        try {
            Process p = new ProcessBuilder(cmd).start();
            CompletableFuture<byte[]> stdout = CompletableFuture.supplyAsync(() -> readAll(p, false));
            CompletableFuture<byte[]> stderr = CompletableFuture.supplyAsync(() -> readAll(p, true));
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new NftException("nft did not finish: " + cmd);
            }
            String err = new String(stderr.join(), StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new NftException("nft failed (exit " + p.exitValue() + "): " + err.strip());
            }
            return new String(stdout.join(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new NftException("cannot run " + cmd + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NftException("interrupted running nft", e);
        }
    }

    private static byte[] readAll(Process p, boolean error) {
        try {
            return (error ? p.getErrorStream() : p.getInputStream()).readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
