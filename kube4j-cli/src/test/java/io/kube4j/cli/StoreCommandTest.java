package io.kube4j.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The store subcommand as a user meets it: exit codes, output, and one clear line for every bad input. */
class StoreCommandTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedOut;
    private PrintStream savedErr;

    @BeforeEach
    void capture() {
        savedOut = System.out;
        savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(savedOut);
        System.setErr(savedErr);
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        return Kube4j.run(args);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void putGetListDeleteRoundTrip() {
        String data = dir.toString();
        assertThat(run("store", "put", "--data-dir", data, "/registry/a", "one")).isZero();
        assertThat(stdout()).startsWith("OK revision 2");
        assertThat(run("store", "put", "--data-dir", data, "/registry/a", "two")).isZero();
        assertThat(stdout()).startsWith("OK revision 3");
        assertThat(run("store", "put", "--data-dir", data, "/registry/b", "three")).isZero();

        assertThat(run("store", "get", "--data-dir", data, "/registry/a")).isZero();
        assertThat(stdout()).isEqualTo("two\n");
        assertThat(run("store", "get", "--data-dir", data, "--rev", "2", "/registry/a")).isZero();
        assertThat(stdout()).isEqualTo("one\n");

        assertThat(run("store", "list", "--data-dir", data, "--keys-only", "/registry/")).isZero();
        assertThat(stdout()).isEqualTo("/registry/a\n/registry/b\n");

        assertThat(run("store", "del", "--data-dir", data, "/registry/a")).isZero();
        assertThat(run("store", "get", "--data-dir", data, "/registry/a")).isEqualTo(1);
        assertThat(stderr()).contains("key not found: /registry/a");
    }

    @Test
    void unknownStoreSchemeIsOneLineAndWritesNothing() throws IOException {
        Path data = dir.resolve("data");
        assertThat(run("store", "list", "--data-dir", data.toString(), "--store", "zookeeper://x:1")).isEqualTo(1);
        assertThat(stderr().strip()).doesNotContain("\n").contains("unknown store 'zookeeper://x:1'");
        assertThat(data).doesNotExist();
    }

    @Test
    void missingStoreIsOneLine() {
        assertThat(run("store", "get", "k")).isEqualTo(1);
        assertThat(stderr().strip()).isEqualTo("kube4j store get: no store given: pass --data-dir DIR or --store etcd://host:port");
    }

    @Test
    void unreachableEtcdIsOneLine() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        assertThat(run("store", "get", "--store", "etcd://127.0.0.1:" + port, "k")).isEqualTo(1);
        assertThat(stderr().strip()).doesNotContain("\n").contains("127.0.0.1:" + port);
    }

    @Test
    void directoryThatIsNotOursIsRefusedUntouched() throws IOException {
        Path store = Files.createDirectories(dir.resolve("store"));
        Files.writeString(store.resolve("family-photos.txt"), "not a store");
        assertThat(run("store", "put", "--data-dir", dir.toString(), "k", "v")).isEqualTo(1);
        assertThat(stderr().strip()).doesNotContain("\n").contains("not a kube4j store");
        try (var files = Files.list(store)) {
            assertThat(files).containsExactly(store.resolve("family-photos.txt"));
        }
    }

    @Test
    void directoryInUseByAnotherKube4jIsRefused() throws Exception {
        String data = dir.toString();
        assertThat(run("store", "put", "--data-dir", data, "k", "v")).isZero();
        // Another kube4j process holds the directory: the lock is per process, so use a real second JVM.
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Kube4j.class.getName(),
                "store", "watch", "--data-dir", data, "/")
                .redirectErrorStream(true).start();
        try {
            // The holder prints "watching ..." once it has the store open (log lines may come first).
            var lines = new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            String line;
            do {
                line = lines.readLine();
            } while (line != null && !line.startsWith("watching"));
            assertThat(line).as("the holder process opened the store").isNotNull();
            assertThat(run("store", "get", "--data-dir", data, "k")).isEqualTo(1);
            assertThat(stderr().strip()).doesNotContain("\n").contains("in use");
        } finally {
            holder.destroyForcibly();
            holder.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
