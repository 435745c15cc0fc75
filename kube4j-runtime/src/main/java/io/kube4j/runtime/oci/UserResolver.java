package io.kube4j.runtime.oci;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Resolves "user", "user:group", "uid" and "uid:gid" against the container's /etc/passwd and /etc/group. */
public final class UserResolver {
    /** uid, gid and the groups /etc/group lists the user in. */
    public record ResolvedUser(long uid, long gid, List<Long> groups) {
    }

    private final Path rootfs;

    public UserResolver(Path rootfs) {
        this.rootfs = rootfs;
    }

    public ResolvedUser resolve(String spec) {
        if (spec == null || spec.isEmpty()) {
            return resolveUid(0, null);
        }
        String user = spec;
        String group = null;
        int colon = spec.indexOf(':');
        if (colon >= 0) {
            user = spec.substring(0, colon);
            group = spec.substring(colon + 1);
        }
        long uid;
        Optional<String[]> passwd = user.matches("\\d+") ? passwdByUid(Long.parseLong(user)) : passwdByName(user);
        if (user.matches("\\d+")) {
            uid = Long.parseLong(user);
        } else {
            uid = Long.parseLong(passwd.orElseThrow(() -> new IllegalArgumentException(
                    "user \"" + spec + "\" is not in the image's /etc/passwd"))[2]);
        }
        ResolvedUser base = resolveUid(uid, passwd.orElse(null));
        if (group == null || group.isEmpty()) {
            return base;
        }
        long gid;
        if (group.matches("\\d+")) {
            gid = Long.parseLong(group);
        } else {
            String name = group;
            gid = groupEntries().stream().filter(g -> g[0].equals(name)).findFirst()
                    .map(g -> Long.parseLong(g[2]))
                    .orElseThrow(() -> new IllegalArgumentException("group \"" + name + "\" is not in the image's /etc/group"));
        }
        return new ResolvedUser(uid, gid, base.groups());
    }

    /** The primary group from /etc/passwd (0 when the uid is not listed) and the user's extra groups. */
    public ResolvedUser resolveUid(long uid, String[] passwd) {
        String[] entry = passwd != null ? passwd : passwdByUid(uid).orElse(null);
        long gid = entry == null ? 0 : Long.parseLong(entry[3]);
        List<Long> groups = new ArrayList<>();
        if (entry != null) {
            for (String[] g : groupEntries()) {
                if (g.length > 3 && List.of(g[3].split(",")).contains(entry[0])) {
                    groups.add(Long.parseLong(g[2]));
                }
            }
        }
        return new ResolvedUser(uid, gid, groups);
    }

    private Optional<String[]> passwdByName(String name) {
        return entries("etc/passwd").stream().filter(e -> e.length >= 4 && e[0].equals(name)).findFirst();
    }

    private Optional<String[]> passwdByUid(long uid) {
        return entries("etc/passwd").stream().filter(e -> e.length >= 4 && e[2].equals(Long.toString(uid))).findFirst();
    }

    private List<String[]> groupEntries() {
        return entries("etc/group").stream().filter(e -> e.length >= 3 && e[2].matches("\\d+")).toList();
    }

    private List<String[]> entries(String file) {
        Path path = rootfs.resolve(file);
        List<String[]> entries = new ArrayList<>();
        try {
            // Never follow a symlink out of the container: an image could point /etc/passwd anywhere.
            if (!Files.isRegularFile(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                return entries;
            }
            for (String line : Files.readAllLines(path)) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    entries.add(line.split(":", -1));
                }
            }
        } catch (IOException e) {
            return entries;
        }
        return entries;
    }
}
