package io.kube4j.cli;

import io.kube4j.store.Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * --store-history-revisions: the embedded store's history bound (etcd's --auto-compaction-mode=revision
 * --auto-compaction-retention=N) on the commands that open it; a bad value is refused before anything is opened.
 */
class StoreHistoryFlagTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedErr;

    @BeforeEach
    void capture() {
        savedErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setErr(savedErr);
    }

    private String firstLine() {
        return err.toString(StandardCharsets.UTF_8).lines().findFirst().orElse("");
    }

    /** Writes {@code n} keys into the store the parsed {@code server} flags open; returns the store, still open. */
    private Store writeThrough(int n, String... flags) {
        ServerCommand command = new ServerCommand();
        new CommandLine(command).parseArgs(flags);
        Store store = command.storeOptions.open();
        for (int i = 0; i < n; i++) {
            store.create("/registry/k" + i, new byte[] {1}, 0);
        }
        return store;
    }

    @Test
    void theBoundReachesTheStoreWhichThenCompactsOnItsOwn() {
        try (Store store = writeThrough(10, "--data-dir", dir.toString(), "--store-history-revisions", "3")) {
            // revision 11 now: once more than twice 3 revisions had gathered it compacted to the newest minus 3
            await().atMost(Duration.ofSeconds(30)).until(() -> store.compactedRevision() > 1);
            assertThat(11 - store.compactedRevision()).isBetween(3L, 2 * 3L);
        }
    }

    @Test
    void withoutTheFlagTheDefaultBoundKeepsAShortHistory() {
        try (Store store = writeThrough(10, "--data-dir", dir.resolve("default").toString())) {
            assertThat(store.compactedRevision()).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void aBoundBelowOneOrNotANumberIsRefusedBeforeTheStoreIsOpened() {
        for (String command : new String[] {"server", "apiserver"}) {
            for (String bad : new String[] {"0", "-5", "ten", "1.5", ""}) {
                err.reset();
                assertThat(Kube4j.run(command, "--data-dir", dir.toString(), "--store-history-revisions", bad))
                        .as(command + " " + bad).isEqualTo(2);
                assertThat(firstLine()).isEqualTo("Invalid value for option '--store-history-revisions': '" + bad
                        + "' is not a number of revisions of at least 1");
            }
        }
        assertThat(dir.resolve("store")).doesNotExist();
    }

    @Test
    void etcdHasItsOwnCompactionFlags() {
        assertThat(Kube4j.run("apiserver", "--data-dir", dir.toString(), "--store", "etcd://127.0.0.1:1",
                "--store-history-revisions", "100")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8).strip()).isEqualTo("kube4j apiserver: "
                + "--store-history-revisions is for the embedded store: etcd compacts by its own "
                + "--auto-compaction-retention");
    }

    @Test
    void helpShowsTheFlagAndItsDefault() {
        String help = new CommandLine(new ApiServerCommand()).getUsageMessage()
                + new CommandLine(new ServerCommand()).getUsageMessage();
        assertThat(help.replaceAll("\\s+", " ")).contains("--store-history-revisions=N")
                .contains("--auto-compaction-retention=N").contains("default: 10000");
    }
}
