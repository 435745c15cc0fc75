package io.kube4j.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A process's mount table, from its mountinfo (proc(5)): the one reader of it, for the cgroup layout and for whether a
 * directory is a mount point.
 *
 * @param mounts the mounts in the file's order (parents before the mounts on top of them)
 */
public record MountInfo(List<Mount> mounts) {

    private static final Path SELF = Path.of("/proc/self/mountinfo");

    /**
     * One line of the table.
     *
     * @param device       {@code MAJOR:MINOR} of the file system: the same for every mount of one cgroup hierarchy
     * @param root         the directory of the file system the mount shows
     * @param mountPoint   where it is mounted, unescaped
     * @param fsType       the file system type ({@code cgroup}, {@code cgroup2}, {@code tmpfs}...)
     * @param superOptions the per-superblock options; a cgroup v1 hierarchy names its controllers there
     */
    public record Mount(String device, String root, Path mountPoint, String fsType, List<String> superOptions) {
    }

    public MountInfo {
        mounts = List.copyOf(mounts);
    }

    /** This process's mount table. */
    public static MountInfo ofThisProcess() throws IOException {
        return parse(Files.readString(SELF));
    }

    /**
     * The table a mountinfo text describes. A line is {@code ID PARENT MAJ:MIN ROOT MOUNT-POINT OPTIONS [OPTIONAL...] -
     * FSTYPE SOURCE SUPER-OPTIONS}; the optional fields vary in number, so the file system comes after the lone
     * {@code -}. Lines that do not have that shape are skipped.
     */
    public static MountInfo parse(String mountinfo) {
        List<Mount> mounts = new ArrayList<>();
        for (String line : mountinfo.split("\n")) {
            List<String> fields = Arrays.asList(line.strip().split(" "));
            int separator = fields.indexOf("-");
            if (separator < 6 || separator + 3 >= fields.size() || !fields.get(4).startsWith("/")) {
                continue;
            }
            mounts.add(new Mount(fields.get(2), unescape(fields.get(3)), Path.of(unescape(fields.get(4))),
                    fields.get(separator + 1), List.of(fields.get(separator + 3).split(","))));
        }
        return new MountInfo(mounts);
    }

    /** Whether something is mounted at {@code path} (absolute, or taken from the working directory). */
    public boolean isMountPoint(Path path) {
        Path target = path.toAbsolutePath().normalize();
        return mounts.stream().anyMatch(m -> m.mountPoint().equals(target));
    }

    /** The kernel writes space, tab, newline and backslash in a path as a backslash and three octal digits. */
    private static String unescape(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length() && isOctal(field, i + 1)) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isOctal(String s, int from) {
        for (int i = from; i < from + 3; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }
}
