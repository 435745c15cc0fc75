package io.kube4j.kubelet.volume;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Writes a set of files into a volume so that a container sees either the old set or the new one, never a mix, as
 * upstream's AtomicWriter: the data goes to a fresh hidden directory, {@code ..data} is swapped to point at it with
 * a rename, and each visible name is a symlink through {@code ..data}.
 */
public final class AtomicWriter {
    static final String DATA = "..data";

    public record FileContent(byte[] data, int mode) {
    }

    private AtomicWriter() {
    }

    /** @return true when anything changed */
    public static boolean write(Path dir, Map<String, FileContent> files) throws IOException {
        Files.createDirectories(dir);
        Path current = dir.resolve(DATA);
        if (Files.isSymbolicLink(current) && sameContent(current, files)) {
            return false;
        }
        Path fresh = Files.createTempDirectory(dir, "..data_");
        for (var e : files.entrySet()) {
            Path target = fresh.resolve(e.getKey()).normalize();
            if (!target.startsWith(fresh)) {
                throw new IOException("invalid path " + e.getKey());
            }
            Files.createDirectories(target.getParent());
            Files.write(target, e.getValue().data());
            Files.setPosixFilePermissions(target, permissions(e.getValue().mode()));
        }
        Files.setPosixFilePermissions(fresh, permissions(0755));
        Path oldTarget = Files.isSymbolicLink(current) ? dir.resolve(Files.readSymbolicLink(current)) : null;
        Path tmpLink = dir.resolve("..data_tmp");
        Files.deleteIfExists(tmpLink);
        Files.createSymbolicLink(tmpLink, fresh.getFileName());
        Files.move(tmpLink, current, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Set<String> visible = new HashSet<>();
        for (String name : files.keySet()) {
            visible.add(name.split("/", 2)[0]);
        }
        for (String top : visible) {
            Path link = dir.resolve(top);
            if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(link, Path.of(DATA).resolve(top));
            }
        }
        try (var entries = Files.list(dir)) {
            for (Path p : entries.toList()) {
                String name = p.getFileName().toString();
                if (!name.startsWith("..") && !visible.contains(name) && Files.isSymbolicLink(p)) {
                    Files.delete(p);
                }
            }
        }
        if (oldTarget != null && !oldTarget.equals(fresh)) {
            deleteTree(oldTarget);
        }
        return true;
    }

    private static boolean sameContent(Path current, Map<String, FileContent> files) throws IOException {
        Path data = current.toRealPath();
        Set<String> existing = new HashSet<>();
        try (var walk = Files.walk(data)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                existing.add(data.relativize(p).toString());
            }
        }
        if (!existing.equals(files.keySet())) {
            return false;
        }
        for (var e : files.entrySet()) {
            Path p = data.resolve(e.getKey());
            if (!java.util.Arrays.equals(Files.readAllBytes(p), e.getValue().data())
                    || !Files.getPosixFilePermissions(p).equals(permissions(e.getValue().mode()))) {
                return false;
            }
        }
        return true;
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = new HashSet<>();
        PosixFilePermission[] order = {
                PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
                PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
                PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int bit = 0; bit < 9; bit++) {
            if ((mode & (1 << bit)) != 0) {
                set.add(order[bit]);
            }
        }
        return set;
    }

    public static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            try (var children = Files.list(p)) {
                for (Path c : children.toList()) {
                    deleteTree(c);
                }
            }
        }
        Files.delete(p);
    }
}
