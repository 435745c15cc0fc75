package io.kube4j.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One short line per set-up or tear-down phase ("[e2e] KubeletE2ETest: server ready 9.8 s"), so that a CI log shows
 * where a class's time outside its test cases goes (surefire's reports give only the cases and the class's total).
 */
final class Phases {
    private Phases() {
    }

    /** Runs the phase and prints how long it took, whether it ended normally or not. */
    static void run(String phase, Runnable action) {
        get(phase, () -> {
            action.run();
            return null;
        });
    }

    /** As {@link #run} for a phase with a result. */
    static <T> T get(String phase, Supplier<T> action) {
        long start = System.nanoTime();
        try {
            return action.get();
        } finally {
            print(phase, start);
        }
    }

    /**
     * Also appended to one file for the whole run: surefire keeps a class's output only while a test of it runs, so
     * the lines of {@code @AfterAll} would be lost from its report.
     */
    private static final Path LOG = Path.of(System.getProperty("kube4j.e2e.phasesLog", "target/e2e-phases.txt"))
            .toAbsolutePath();

    private static void print(String phase, long startNanos) {
        String line = String.format(Locale.ROOT, "[e2e] %s: %s %.1f s%s%n", testClass(), phase,
                (System.nanoTime() - startNanos) / 1e9, PrivateContainerd.selected() ? " (containerd)" : "");
        System.out.print(line);
        try {
            Files.writeString(LOG, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("cannot append to " + LOG + ": " + e.getMessage());
        }
    }

    /** The test class on the stack (the fixtures are shared, the line should say whose phase it was). */
    private static String testClass() {
        Optional<String> name = StackWalker.getInstance().walk(frames -> frames
                .map(StackWalker.StackFrame::getClassName)
                .filter(n -> n.endsWith("E2ETest") || n.contains("E2ETest$"))
                .findFirst());
        return name.map(n -> n.substring(n.lastIndexOf('.') + 1).replaceFirst("\\$.*", "")).orElse("e2e");
    }
}
